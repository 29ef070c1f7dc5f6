/** The running stack, as the global setup published it to the workers. */
export interface E2eStack {
  baseUrl: string;
  services: Record<string, string>;
  tenantId: string;
  topicPrefix: string;
  kafkaBrokers: string[];
  logDir: string;
  sprints: { sprintId: string; teamId: string }[];
}

export function e2eStack(): E2eStack {
  const raw = process.env['PACER_E2E_STACK'];
  if (!raw) throw new Error('PACER_E2E_STACK is not set: run the browser tests through apps/web/playwright.config.ts');
  return JSON.parse(raw) as E2eStack;
}
