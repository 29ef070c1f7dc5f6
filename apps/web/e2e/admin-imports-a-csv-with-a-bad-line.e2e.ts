import { expect, test } from '@playwright/test';
import { DateTime } from 'luxon';
import { expectAccessible, screenshot } from './support/checks';
import { signIn } from './support/sign-in';

test('an admin imports a CSV with a bad line', async ({ page }) => {
  await signIn(page, 'admin');
  const run = DateTime.now().toMillis().toString(36);
  const at = DateTime.now().minus({ hours: 1 }).toUTC().startOf('second').toISO({ suppressMilliseconds: true });
  const csv = [
    'activityId,kind,repId,occurredAt,outcome,durationSec',
    `csv-${run}-1,call_logged,h2,${at},connected,120`,
    `csv-${run}-2,call_logged,h2,${at},shouted,60`,
    `csv-${run}-3,email_sent,h2,${at},,`,
  ].join('\n');

  await page.getByRole('link', { name: 'Import' }).click();
  await page.waitForURL('**/admin/import');
  await page.getByLabel('File').setInputFiles({ name: 'calls.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  await expect(page.getByTestId('import-progress')).toHaveText('Done', { timeout: 30_000 });
  await expect(page.getByTestId('import-accepted')).toContainText('2');
  await expect(page.getByTestId('import-rejected')).toContainText('1');
  const errors = page.getByTestId('import-errors');
  // Line 3 of the file (the header is line 1), with the service's message naming the field.
  await expect(errors.getByRole('row').nth(1)).toContainText('3');
  await expect(errors.getByRole('row').nth(1)).toContainText('outcome');

  // What the screen says is what the service stored.
  const listed = async (id: string) => (await page.request.get(`/api/activity-ingestion/v1/activities/${id}`)).status();
  expect(await listed(`csv-${run}-1`)).toBe(200);
  expect(await listed(`csv-${run}-2`)).toBe(404);
  expect(await listed(`csv-${run}-3`)).toBe(200);

  await expectAccessible(page);
  await screenshot(page, 'admin-imports-a-csv-with-a-bad-line');
});
