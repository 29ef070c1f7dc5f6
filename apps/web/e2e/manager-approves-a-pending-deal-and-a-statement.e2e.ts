import { expect, request, test } from '@playwright/test';
import { expectAccessible, screenshot } from './support/checks';
import { getJson, latestPeriodOf, statementHeads, usd } from './support/governance';
import { signIn, signInQuietly } from './support/sign-in';

interface DealView {
  dealId: string;
  reason: string | null;
  repId: string;
  amount: string;
  status: string;
  decidedBy: string | null;
}

test('a manager approves a pending deal and a statement', async ({ page, baseURL }) => {
  // The admin turns on deal approval in the settings form; the other settings stay as they were.
  await signIn(page, 'admin');
  const before = await getJson<Record<string, unknown>>(page.request, '/api/sprint-planning/v1/settings');
  await page.getByRole('link', { name: 'Settings' }).click();
  const toggle = page.getByLabel('Deals recorded by reps need approval');
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  const after = await getJson<Record<string, unknown>>(page.request, '/api/sprint-planning/v1/settings');
  expect(after).toMatchObject({ timezone: before['timezone'], weekStartsOn: before['weekStartsOn'], fiscalYearStartMonth: before['fiscalYearStartMonth'], dealsRequireApproval: true });

  // A rep records a won deal: it waits for the manager.
  const rep = await request.newContext({ baseURL });
  const ben = await signInQuietly(rep, { subject: 'demo-h2' });
  const dealId = `e2e-approve-${Date.now()}`;
  const won = await rep.post('/api/activity-ingestion/v1/activities', {
    data: { activityId: dealId, kind: 'deal_won', repId: ben.repId, occurredAt: new Date().toISOString(), dealId, opportunityId: `o-${dealId}`, amount: '4800.00', currency: 'USD' },
  });
  expect(won.status(), await won.text()).toBe(202);

  const rejectedId = `${dealId}-r`;
  const second = await rep.post('/api/activity-ingestion/v1/activities', {
    data: { activityId: rejectedId, kind: 'deal_won', repId: ben.repId, occurredAt: new Date().toISOString(), dealId: rejectedId, opportunityId: `o-${rejectedId}`, amount: '1200.00', currency: 'USD' },
  });
  expect(second.status(), await second.text()).toBe(202);

  const manager = await signIn(page, { subject: 'demo-hm' });
  const pending = async () => (await getJson<{ items: DealView[] }>(page.request, '/api/commission/v1/deals?status=pending')).items.find((d) => d.dealId === dealId);
  await expect.poll(pending, { timeout: 30_000, message: 'the deal waits for approval' }).toMatchObject({ dealId, repId: ben.repId, amount: '4800.00', status: 'pending' });
  await expect
    .poll(async () => (await getJson<{ items: DealView[] }>(page.request, '/api/commission/v1/deals?status=pending')).items.some((d) => d.dealId === rejectedId), { timeout: 30_000 })
    .toBe(true);

  await page.getByRole('link', { name: 'Approvals' }).click();
  await page.waitForURL('**/manager/approvals');
  const dealRow = page.getByTestId(`deal-${dealId}`);
  await expect(dealRow).toContainText(ben.name);
  await expect(dealRow).toContainText(usd('4800.00'));
  await dealRow.getByRole('button', { name: 'Approve' }).click();
  await expect(dealRow).toHaveCount(0);
  const approved = (await getJson<{ items: DealView[] }>(page.request, '/api/commission/v1/deals?status=approved')).items.find((d) => d.dealId === dealId);
  expect(approved).toMatchObject({ status: 'approved', decidedBy: manager.subject });

  // The other one is rejected, with the reason asked for.
  const rejectRow = page.getByTestId(`deal-${rejectedId}`);
  await rejectRow.getByRole('button', { name: 'Reject' }).click();
  await rejectRow.getByLabel('Why reject it?').fill('No signed contract');
  await rejectRow.getByRole('button', { name: 'Reject deal' }).click();
  await expect(rejectRow).toHaveCount(0);
  const rejected = (await getJson<{ items: DealView[] }>(page.request, '/api/commission/v1/deals?status=rejected')).items.find((d) => d.dealId === rejectedId);
  expect(rejected).toMatchObject({ status: 'rejected', decidedBy: manager.subject, reason: 'No signed contract' });

  // A statement of the team's running period, other than the one the approved deal just changed.
  const periodKey = await latestPeriodOf(rep, ben.repId!);
  const heads = await statementHeads(page.request, periodKey, manager.teamId);
  const target = heads.find((h) => h.status === 'draft' && h.repId !== ben.repId && h.version > 0);
  expect(target, `a draft statement of team ${manager.teamId} in ${periodKey}`).toBeDefined();
  const card = page.locator('section', { has: page.getByRole('heading', { name: 'Statements' }) });
  await card.getByLabel('Period', { exact: true }).selectOption(periodKey);
  await card.getByLabel('Team').selectOption(manager.teamId!);
  const row = page.getByTestId(`statement-${target!.repId}`);
  await expect(row).toContainText('Draft');
  await expect(row.getByTestId('statement-head-total')).toHaveText(usd(target!.total, target!.currency));
  await row.getByRole('button', { name: /^Approve the statement of/ }).click();
  await expect(row).toContainText('Approved');
  await expect(row).toContainText(manager.subject);
  const now = (await statementHeads(page.request, periodKey, manager.teamId)).find((h) => h.repId === target!.repId);
  expect(now).toMatchObject({ status: 'approved', approvedBy: manager.subject, version: target!.version, total: target!.total });

  await expectAccessible(page);
  await screenshot(page, 'manager-approves-a-pending-deal-and-a-statement');

  // Leave the tenant as the other tests expect it: reps' deals pay without approval.
  const admin = await request.newContext({ baseURL });
  await signInQuietly(admin, 'admin');
  const { version: _version, ...current } = await getJson<Record<string, unknown>>(admin, '/api/sprint-planning/v1/settings');
  const reset = await admin.put('/api/sprint-planning/v1/settings', { data: { ...current, dealsRequireApproval: false } });
  expect(reset.status(), await reset.text()).toBe(200);
  await Promise.all([rep.dispose(), admin.dispose()]);
});
