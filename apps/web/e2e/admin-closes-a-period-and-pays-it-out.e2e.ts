import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot } from './support/checks';
import { getJson, latestPeriodOf, statementHeads, usd } from './support/governance';
import { signIn } from './support/sign-in';

test('an admin closes a period, is refused the payout until every statement is approved, then pays it', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Periods' }).click();
  await page.waitForURL('**/admin/periods');
  // The panel opens on the last ended fiscal quarter: the demo's history has statements there.
  const periodKey = await page.getByLabel('Period', { exact: true }).inputValue();
  const before = await statementHeads(page.request, periodKey);
  expect(before.length, `statements of ${periodKey}`).toBeGreaterThan(0);
  expect(before.every((h) => !h.closed && h.status === 'draft')).toBe(true);
  const table = page.getByTestId('period-statements');
  await expect(table.getByRole('row')).toHaveCount(before.length + 1);

  await page.getByRole('button', { name: 'Close period' }).click();
  await page.getByRole('button', { name: 'Close it' }).click();
  await expect(page.getByTestId('period-outcome')).toContainText(`Closed: ${before.length} statements frozen`);
  await expect.poll(async () => (await statementHeads(page.request, periodKey)).every((h) => h.closed)).toBe(true);
  await expect(page.getByTestId('period-state')).toContainText('Closed');

  // Payout is refused while statements are drafts, and the refusal names them.
  await page.getByRole('button', { name: 'Pay out' }).click();
  await page.getByRole('group').getByRole('button', { name: 'Pay out' }).click();
  const refused = page.getByTestId('payout-refused');
  await expect(refused).toContainText(`Payout refused: ${before.length} statement(s) are not approved.`);
  await expect(refused.getByRole('listitem')).toHaveCount(before.length);

  // Approve each statement from the period's table.
  for (let left = before.length; left > 0; left -= 1) {
    const approve = table.getByRole('button', { name: /^Approve the statement of/ }).first();
    await approve.click();
    await expect(table.getByRole('button', { name: /^Approve the statement of/ })).toHaveCount(left - 1);
  }
  const approved = await statementHeads(page.request, periodKey);
  expect(approved.map((h) => h.status)).toEqual(before.map(() => 'approved'));
  expect(approved.map((h) => h.total)).toEqual(before.map((h) => h.total));

  await page.getByRole('button', { name: 'Pay out' }).click();
  await page.getByRole('group').getByRole('button', { name: 'Pay out' }).click();
  await expect(page.getByTestId('period-outcome')).toContainText(`Paid out: ${before.length} payroll rows`);
  const paid = await statementHeads(page.request, periodKey);
  expect(paid.every((h) => h.status === 'paid')).toBe(true);
  for (const h of paid) await expect(table.getByTestId(`statement-${h.repId}`)).toContainText(usd(h.total, h.currency));

  // The payroll file through the BFF: CSV with its file name, one row per statement as the API lists them.
  const link = page.getByTestId('payout-csv');
  const href = await link.getAttribute('href');
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/^text\/csv/);
  expect(res.headers()['content-disposition']).toContain(`payout-${periodKey}.csv`);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const csv = await readFile((await download.path())!, 'utf8');
  const [header, ...rows] = csv.trim().split(/\r?\n/);
  expect(header).toBe('repId,periodKey,currency,total,statementId,statementVersion');
  const expected = paid.map((h) => `${h.repId},${h.periodKey},${h.currency},${h.total},${h.statementId},${h.version}`);
  expect([...rows].sort()).toEqual([...expected].sort());

  await expectAccessible(page);
  await screenshot(page, 'admin-closes-a-period-and-pays-it-out');

  // A late deal of the paid period: the paid statements stay as they are, and the correction is booked
  // in the rep's open period as a prior-period adjustment citing the closed one. (h3: h1's and h2's
  // monthly history is the consistency test's fixture.)
  const repId = 'h3';
  // The periods of a rep who has statements in the closed one (its window, and the quarter before it).
  type Listed = { periodKey: string; period: { start: string; end: string } };
  const periods = (await getJson<{ items: Listed[] }>(page.request, `/api/commission/v1/reps/${paid[0]!.repId}/statements`)).items.sort((a, b) => a.period.start.localeCompare(b.period.start));
  const closedPeriod = periods.find((p) => p.periodKey === periodKey)!;
  const openKey = await latestPeriodOf(page.request, repId);
  const lateAt = new Date((Date.parse(closedPeriod.period.start) + Date.parse(closedPeriod.period.end)) / 2).toISOString();
  const dealId = `e2e-late-${Date.now()}`;
  const late = await page.request.post('/api/activity-ingestion/v1/activities', {
    data: { activityId: dealId, kind: 'deal_won', repId, occurredAt: lateAt, dealId, opportunityId: `o-${dealId}`, amount: '10000.00', currency: 'USD' },
  });
  expect(late.status(), await late.text()).toBe(202);
  type Doc = { total: string; currency: string; status: string; lines: { lineId: string; kind: string; amount: string; closedPeriodKey?: string; sourceEventIds: string[] }[] };
  const ppaLine = async () =>
    (await getJson<Doc>(page.request, `/api/commission/v1/reps/${repId}/statements/${openKey}`)).lines.find((l) => l.kind === 'prior_period_adjustment' && l.closedPeriodKey === periodKey);
  await expect.poll(ppaLine, { timeout: 30_000, message: `a prior-period adjustment for ${periodKey} in ${openKey}` }).toBeDefined();
  const ppa = (await ppaLine())!;
  const afterLate = await statementHeads(page.request, periodKey);
  for (const h of paid) expect(afterLate.find((x) => x.repId === h.repId)).toEqual(h);

  // Reopening: the quarter before is closed and reopened (a paid period cannot be).
  const earlier = periods.filter((p) => Date.parse(p.period.end) <= Date.parse(closedPeriod.period.start)).pop();
  expect(earlier, `a period of ${paid[0]!.repId} before ${periodKey}`).toBeDefined();
  await page.getByLabel('Period', { exact: true }).selectOption(earlier!.periodKey);
  await page.getByRole('button', { name: 'Close period' }).click();
  await page.getByRole('button', { name: 'Close it' }).click();
  await expect(page.getByTestId('period-outcome')).toContainText('Closed:');
  await page.getByRole('button', { name: 'Reopen period' }).click();
  await expect(page.getByRole('group')).toContainText('Adjustments already booked in later periods stay there');
  await page.getByRole('button', { name: 'Reopen it' }).click();
  await expect(page.getByTestId('period-outcome')).toContainText('Reopened:');
  await expect(page.getByTestId('period-state')).toContainText('Open');
  expect((await statementHeads(page.request, earlier!.periodKey)).every((h) => !h.closed)).toBe(true);

  // A period with no statements (the earlier fiscal year: the demo's plans are quarterly) closes too,
  // and still reads Closed after a reload: the screen reads the period's state, not its statements.
  const select = page.getByLabel('Period', { exact: true });
  const yearKey = (await select.locator('optgroup').last().locator('option').last().getAttribute('value'))!;
  expect(yearKey).toMatch(/^FY\d{4}$/);
  expect(await statementHeads(page.request, yearKey)).toEqual([]);
  await select.selectOption(yearKey);
  await expect(page.getByTestId('period-state')).toContainText('Open');
  await page.getByRole('button', { name: 'Close period' }).click();
  await page.getByRole('button', { name: 'Close it' }).click();
  await expect(page.getByTestId('period-outcome')).toContainText('Closed:');
  await expect(page.getByTestId('period-state')).toContainText('Closed');
  await page.reload();
  await page.getByLabel('Period', { exact: true }).selectOption(yearKey);
  await expect(page.getByTestId('period-state')).toContainText('Closed');
  await expect(page.getByRole('button', { name: 'Reopen period' })).toBeVisible();
  expect(await getJson<{ status: string; statements: { total: number } }>(page.request, `/api/commission/v1/periods/${yearKey}`)).toMatchObject({
    status: 'closed',
    statements: { total: 0 },
  });

  // The rep sees the adjustment on the open statement, citing the closed period, with the API's amount.
  await signIn(page, { subject: `demo-${repId}` });
  await page.getByRole('link', { name: 'My commission' }).click();
  await page.waitForURL('**/rep/statement');
  const row = page.getByTestId(`line-${ppa.lineId}`);
  await expect(row).toContainText('Prior-period adjustment');
  await expect(row.getByTestId('adjustment-cite')).toContainText(`Corrects closed period ${periodKey.replace('-', ' ')}`);
  await expect(row).toContainText(usd(ppa.amount));
  const open = await getJson<Doc>(page.request, `/api/commission/v1/reps/${repId}/statements/${openKey}`);
  await expect(page.getByTestId('statement-total')).toHaveText(usd(open.total, open.currency));
  await expectAccessible(page);
  await screenshot(page, 'rep-sees-a-prior-period-adjustment');
});
