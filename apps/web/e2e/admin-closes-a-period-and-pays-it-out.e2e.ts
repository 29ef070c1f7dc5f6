import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot } from './support/checks';
import { statementHeads, usd } from './support/governance';
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
});
