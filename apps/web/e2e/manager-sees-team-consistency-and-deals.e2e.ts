import { expect, test } from '@playwright/test';
import { DateTime } from 'luxon';
import { formatDate } from '../src/format/dates';
import { formatMoney } from '../src/format/money';
import { formatPercent } from '../src/format/numbers';
import { expectAccessible, screenshot } from './support/checks';
import { signIn, signInQuietly } from './support/sign-in';

interface RepConsistency {
  repId: string;
  name: string | null;
  periods: { key: string; quotaAttainment: number }[];
  mean: number | null;
  standardDeviation: number | null;
  coefficientOfVariation: number | null;
}

interface BoardItem {
  itemId: string;
  title: string;
  opportunityId?: string;
  opportunity?: { stage: string | null; status: string; amount: string | null; expectedCloseDate: string | null; probability: string | null } | null;
}

interface Board {
  sprintId: string;
  reps: { repId: string; targets: Record<string, unknown>; items: BoardItem[] }[];
}

test('a manager sees who is steady and who swings, and the deals behind sprint items', async ({ page, request }) => {
  // Hanna manages the Hunters, where the demo gives h1 six months near 90 % and h2 150 %/40 %.
  const manager = await signIn(page, { subject: 'demo-hm' });
  const api = page.request;
  const teamId = manager.teamId ?? 'hunters';

  // The seed's history reaches the KPI snapshots asynchronously: wait until the API has all of it.
  const consistencyUrl = `/api/kpi-aggregation/v1/teams/${teamId}/consistency?period=month&last=6`;
  const members = async () => ((await (await api.get(consistencyUrl)).json()) as { members: RepConsistency[] }).members;
  await expect
    .poll(async () => (await members()).filter((m) => m.periods.length === 6).map((m) => m.repId).sort(), { timeout: 60_000 })
    .toEqual(expect.arrayContaining(['h1', 'h2']));
  const expected = await members();
  const h1 = expected.find((m) => m.repId === 'h1')!;
  const h2 = expected.find((m) => m.repId === 'h2')!;
  expect(h1.coefficientOfVariation!).toBeLessThan(0.15);
  expect(h2.coefficientOfVariation!).toBeGreaterThan(0.35);

  // A deal linked to a sprint item of h3: recorded by an admin, then committed as an item.
  const admin = request;
  await signInQuietly(admin, 'admin');
  const now = DateTime.now();
  const opportunityId = `e2e-opp-${now.toFormat('HHmmssSSS')}`;
  const closeDate = now.plus({ days: 20 }).toISODate()!;
  for (const activity of [
    { activityId: `${opportunityId}-created`, kind: 'opportunity_created', repId: 'h3', occurredAt: now.minus({ minutes: 5 }).toISO(), opportunityId, amount: '48000.00', currency: 'USD', expectedCloseDate: closeDate, probability: '0.1' },
    { activityId: `${opportunityId}-proposal`, kind: 'opportunity_stage_changed', repId: 'h3', occurredAt: now.minus({ minutes: 2 }).toISO(), opportunityId, toStage: 'proposal', probability: '0.4', amount: '52500.00' },
  ]) {
    const res = await admin.post('/api/activity-ingestion/v1/activities', { data: activity });
    expect(res.status(), `${activity.kind}: ${await res.text()}`).toBe(202);
  }
  const sprints = (await (await api.get(`/api/sprint-planning/v1/teams/${teamId}/sprints`)).json()) as { sprintId: string; status: string }[];
  const sprint = sprints.find((s) => s.status === 'active');
  expect(sprint, 'an active Hunters sprint').toBeTruthy();
  const boardUrl = `/api/sprint-planning/v1/sprints/${sprint!.sprintId}/board`;
  const board = async () => (await (await api.get(boardUrl)).json()) as Board;
  const h3 = (await board()).reps.find((r) => r.repId === 'h3')!;
  const itemId = `${opportunityId}-item`;
  const put = await admin.put(`/api/sprint-planning/v1/sprints/${sprint!.sprintId}/commitments/h3`, {
    data: {
      targets: h3.targets,
      items: [...h3.items.map((i) => ({ itemId: i.itemId, title: i.title, ...(i.opportunityId ? { opportunityId: i.opportunityId } : {}) })), { itemId, title: 'Get the proposal signed', opportunityId }],
    },
  });
  expect(put.ok(), `commitment of h3: ${await put.text()}`).toBeTruthy();
  const item = async () => (await board()).reps.find((r) => r.repId === 'h3')?.items.find((i) => i.itemId === itemId);
  await expect.poll(async () => (await item())?.opportunity?.stage, { timeout: 30_000 }).toBe('proposal');
  const deal = (await item())!.opportunity!;
  expect(deal).toMatchObject({ status: 'open', amount: '52500.00', expectedCloseDate: closeDate, probability: '0.4' });

  // The screen: the consistency table shows the API's figures, the swinging rep first and marked.
  await page.reload();
  const table = page.getByTestId('team-consistency');
  for (const m of expected) {
    const row = table.getByTestId(`consistency-${m.repId}`);
    await expect(row.getByTestId('mean')).toHaveText(formatPercent(m.mean, 'en'));
    await expect(row.getByTestId('sd')).toHaveText(formatPercent(m.standardDeviation, 'en'));
    await expect(row.getByTestId('cv')).toHaveText(formatPercent(m.coefficientOfVariation, 'en'));
  }
  await expect(table.getByTestId('consistency-h1').getByTestId('steadiness')).toHaveText('Steady');
  await expect(table.getByTestId('consistency-h2').getByTestId('steadiness')).toHaveText('Swinging');
  const order = async () => (await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid'))));
  expect((await order())[0]).toBe('consistency-h2');
  await table.getByRole('button', { name: /Coefficient of variation/ }).click();
  await expect.poll(async () => (await order())[0]).toBe('consistency-h1');
  await expect(table.getByRole('columnheader', { name: /Coefficient of variation/ })).toHaveAttribute('aria-sort', 'ascending');

  // The board item shows the deal as the board API has it.
  const facts = page.getByTestId(`board-item-${itemId}`).getByTestId('opportunity');
  await expect(facts.getByTestId('opportunity-stage')).toHaveText('proposal', { timeout: 15_000 });
  await expect(facts.getByTestId('opportunity-amount')).toHaveText(formatMoney(deal.amount, 'USD', 'en'));
  await expect(facts.getByTestId('opportunity-close')).toHaveText(formatDate(deal.expectedCloseDate, 'en'));
  await expect(facts.getByTestId('opportunity-probability')).toHaveText(formatPercent(deal.probability, 'en'));

  await expectAccessible(page);
  await screenshot(page, 'manager-sees-team-consistency-and-deals');
});
