import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot } from './support/checks';
import { getJson, latestPeriodOf } from './support/governance';
import { signIn } from './support/sign-in';

interface AuditPage {
  items: { id: string; at: string; actor: { sub: string; role: string }; type: string; subject: Record<string, string>; summary: Record<string, unknown> }[];
  nextCursor: string | null;
}

test('an admin posts an adjustment and finds it, with the other actions, in the audit log', async ({ page }) => {
  const admin = await signIn(page, 'admin');
  const periodKey = await latestPeriodOf(page.request, 'h5');
  await page.getByRole('link', { name: 'Adjustments' }).click();
  await page.waitForURL('**/admin/adjustments');
  const form = page.getByTestId('adjustment-form');
  await form.getByLabel('Rep').selectOption({ label: 'Eva Nilsen' });
  await form.getByLabel('Period', { exact: true }).selectOption(periodKey);
  // A bad amount is named under its field.
  await form.getByLabel('Amount (negative takes money back)').fill('12.345');
  const reason = `Conference bonus ${Date.now()}`;
  await form.getByLabel('Reason').fill(reason);
  await form.getByRole('button', { name: 'Post adjustment' }).click();
  await expect(form.locator('#adj-amount-error')).toBeVisible();
  await form.getByLabel('Amount (negative takes money back)').fill('-12.50');
  await form.getByRole('button', { name: 'Post adjustment' }).click();
  await expect(page.getByTestId('adjustment-posted')).toContainText('-$12.50');

  const commissionAudit = await getJson<AuditPage>(page.request, '/api/commission/v1/audit?type=adjustment.posted');
  const record = commissionAudit.items.find((r) => JSON.stringify(r.summary).includes(reason));
  expect(record, 'the adjustment in commission’s audit log').toMatchObject({ actor: { sub: admin.subject, role: 'admin' }, type: 'adjustment.posted' });

  await page.getByRole('link', { name: 'Audit' }).click();
  await page.waitForURL('**/admin/audit');
  const table = page.getByTestId('audit');
  // Merged over every service, newest first: the adjustment is among the first rows.
  await expect(table.getByRole('row').filter({ hasText: reason })).toContainText('adjustment.posted');
  await expect(table.getByRole('row').filter({ hasText: reason })).toContainText(admin.subject);

  // Filtered to commission and the type: exactly the records the API gives for that filter.
  const filter = page.getByTestId('audit-filter');
  await filter.getByLabel('Service').selectOption('commission');
  await filter.getByLabel('Type').fill('adjustment.posted');
  await filter.getByRole('button', { name: 'Filter' }).click();
  await expect(table.locator('tbody tr')).toHaveCount(Math.min(commissionAudit.items.length, 50));
  await expect(table.locator('tbody tr').first()).toContainText(reason);

  // Everything the other governance tasks did shows under its type, and every service's log is readable.
  await filter.getByLabel('Service').selectOption('all');
  await filter.getByLabel('Type').fill('');
  await filter.getByRole('button', { name: 'Filter' }).click();
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await expect(page.getByText(/could not be read/)).toHaveCount(0);
  const types = new Set((await getJson<AuditPage>(page.request, '/api/commission/v1/audit?limit=1000')).items.map((r) => r.type));
  for (const type of ['period.closed', 'statement.approved', 'period.paid', 'dispute.opened', 'dispute.resolved']) {
    if (!types.has(type)) continue; // that task's test did not run in this session
    await filter.getByLabel('Type').fill(type);
    await filter.getByRole('button', { name: 'Filter' }).click();
    await expect(table.locator('tbody tr').first()).toContainText(type);
  }

  // The admin's own actions over every service (the seeding ran as another actor).
  await filter.getByLabel('Type').fill('');
  await filter.getByLabel('Actor').fill(admin.subject);
  await filter.getByRole('button', { name: 'Filter' }).click();
  await expect(table.locator('tbody tr').first()).toContainText(reason);
  await expectAccessible(page);
  await screenshot(page, 'admin-reads-the-audit-of-what-was-just-done');
});
