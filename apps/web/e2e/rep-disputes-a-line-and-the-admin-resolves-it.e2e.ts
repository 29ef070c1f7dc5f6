import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot } from './support/checks';
import { getJson, latestPeriodOf, usd } from './support/governance';
import { signIn } from './support/sign-in';

interface StatementDoc {
  repId: string;
  periodKey: string;
  currency: string;
  total: string;
  status: string;
  version: number;
  lines: { lineId: string; kind: string; amount: string; disputeId?: string }[];
}

interface DisputeView {
  disputeId: string;
  lineId: string;
  comment: string;
  status: string;
  adjustmentAmount: string | null;
  resolution: string | null;
}

test('a rep disputes a statement line and the admin resolves it with an adjustment', async ({ page }) => {
  const rep = await signIn(page, { subject: 'demo-h4' });
  const repId = rep.repId!;
  const periodKey = await latestPeriodOf(page.request, repId);
  const statementPath = `/api/commission/v1/reps/${repId}/statements/${periodKey}`;
  const before = await getJson<StatementDoc>(page.request, statementPath);
  const line = before.lines.find((l) => l.kind !== 'manual_adjustment');
  expect(line, `a line on ${repId}'s ${periodKey} statement`).toBeDefined();

  await page.getByRole('link', { name: 'My commission' }).click();
  await page.waitForURL('**/rep/statement');
  await expect(page.getByTestId('statement-status')).toHaveText(before.status === 'approved' ? 'Approved' : 'Draft');
  await expect(page.getByTestId('statement-total')).toHaveText(usd(before.total, before.currency));

  // The statement's CSV through the BFF: a file with one row per ledger line and the statement's total.
  const csvRes = await page.request.get((await page.getByTestId('statement-csv').getAttribute('href'))!);
  expect(csvRes.status()).toBe(200);
  expect(csvRes.headers()['content-type']).toMatch(/^text\/csv/);
  expect(csvRes.headers()['content-disposition']).toContain(`statement-${repId}-${periodKey}.csv`);
  const csvRows = (await csvRes.text()).trim().split(/\r?\n/);
  expect(csvRows).toHaveLength(before.lines.length + 1);
  const columns = csvRows[0]!.split(',');
  expect(csvRows[1]!.split(',')[columns.indexOf('statementTotal')]).toBe(before.total);

  const comment = `The split with Ben was 50/50 (${Date.now()})`;
  await page.getByTestId(`line-${line!.lineId}`).getByRole('button', { name: 'Dispute' }).click();
  await page.getByTestId('dispute-form').getByLabel('What is wrong with this line?').fill(comment);
  await page.getByRole('button', { name: 'Send dispute' }).click();
  await expect(page.getByTestId('my-disputes')).toContainText(comment);
  const opened = (await getJson<{ items: DisputeView[] }>(page.request, `/api/commission/v1/disputes?status=open&repId=${repId}`)).items.find((d) => d.comment === comment);
  expect(opened).toMatchObject({ lineId: line!.lineId, status: 'open' });

  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Disputes' }).click();
  await page.waitForURL('**/admin/disputes');
  const row = page.getByTestId(`dispute-${opened!.disputeId}`);
  await expect(row).toContainText(comment);
  await expect(row).toContainText(rep.name);
  const form = row.getByTestId(`resolve-${opened!.disputeId}`);
  await form.getByLabel('Resolution').fill('Agreed: half of the split added by hand');
  await form.getByLabel('Adjustment (optional, signed)').fill('25.00');
  await form.getByRole('button', { name: 'Resolve' }).click();
  await expect(row).toHaveCount(0);
  const resolved = (await getJson<{ items: DisputeView[] }>(page.request, `/api/commission/v1/disputes?status=resolved&repId=${repId}`)).items.find((d) => d.disputeId === opened!.disputeId);
  expect(resolved).toMatchObject({ status: 'resolved', adjustmentAmount: '25.00', resolution: 'Agreed: half of the split added by hand' });
  // Among the resolved ones it shows the resolution and where the adjustment went.
  await page.getByLabel('Status').selectOption('resolved');
  const done = page.getByTestId(`dispute-${opened!.disputeId}`);
  await expect(done).toContainText('Agreed: half of the split added by hand');
  await expect(done).toContainText(`Adjusted by ${usd('25.00')}`);
  await expectAccessible(page);
  await screenshot(page, 'admin-resolves-a-dispute');

  // The rep sees the adjustment on the statement; the total is the service's.
  await signIn(page, { subject: 'demo-h4' });
  const after = await getJson<StatementDoc>(page.request, statementPath);
  const manual = after.lines.find((l) => l.kind === 'manual_adjustment' && l.disputeId === opened!.disputeId);
  expect(manual).toMatchObject({ amount: '25.00' });
  await page.getByRole('link', { name: 'My commission' }).click();
  const manualRow = page.getByTestId(`line-${manual!.lineId}`);
  await expect(manualRow).toContainText('Manual adjustment');
  await expect(manualRow).toContainText(usd('25.00', after.currency));
  await expect(manualRow).toContainText('Posted by an admin');
  await expect(page.getByTestId('statement-total')).toHaveText(usd(after.total, after.currency));
  await expect(page.getByTestId('my-disputes')).toHaveCount(0);
  await expectAccessible(page);
  await screenshot(page, 'rep-disputes-a-line-and-the-admin-resolves-it');
});
