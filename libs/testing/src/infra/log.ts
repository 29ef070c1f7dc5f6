/** Where progress lines go. Callers (CLI, jest global setup) decide how they are shown. */
export type InfraLog = (message: string) => void;

export const defaultLog: InfraLog = (message) => {
  // stderr so that `infra:status` style stdout stays machine-readable when piped.
  process.stderr.write(`infra: ${message}\n`);
};

export function seconds(sinceMs: number): string {
  return `${((Date.now() - sinceMs) / 1000).toFixed(1)}s`;
}
