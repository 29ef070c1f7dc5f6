import { expect, type APIRequestContext } from '@playwright/test';

/** Money as the screens show it to an en-US reader. */
export function usd(amount: string, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount as unknown as number);
}

export interface StatementHeadView {
  statementId: string;
  repId: string;
  periodKey: string;
  status: 'draft' | 'approved' | 'paid';
  version: number;
  currency: string;
  total: string;
  approvedBy: string | null;
  closed: boolean;
}

/** A GET through the BFF that must answer 200, as JSON. */
export async function getJson<T>(api: APIRequestContext, path: string): Promise<T> {
  const res = await api.get(path);
  expect(res.status(), `GET ${path}: ${await res.text()}`).toBe(200);
  return (await res.json()) as T;
}

/** A period's statements as the commission API lists them (every page). */
export async function statementHeads(api: APIRequestContext, periodKey: string, teamId?: string): Promise<StatementHeadView[]> {
  const query = new URLSearchParams({ periodKey, limit: '1000', ...(teamId ? { teamId } : {}) });
  return (await getJson<{ items: StatementHeadView[] }>(api, `/api/commission/v1/statements?${query.toString()}`)).items;
}

/** The newest period the rep has a statement in (the statement screen opens on it). */
export async function latestPeriodOf(api: APIRequestContext, repId: string): Promise<string> {
  const list = await getJson<{ items: { periodKey: string; period: { start: string } }[] }>(api, `/api/commission/v1/reps/${repId}/statements`);
  const newest = [...list.items].sort((a, b) => b.period.start.localeCompare(a.period.start))[0];
  if (!newest) throw new Error(`rep ${repId} has no statement`);
  return newest.periodKey;
}
