import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot } from './support/checks';
import { signIn } from './support/sign-in';

interface Estimate {
  commission: string;
  currency: string;
  planVersion: number;
}

const usd = (amount: string) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(Number(amount));

test('an admin edits a plan and sees the preview', async ({ page }) => {
  await signIn(page, 'admin');
  const api = page.request;
  await page.getByRole('link', { name: 'Plans' }).click();
  await page.waitForURL('**/admin/plans');
  await page.getByLabel('Plan').selectOption('ae-graduated');

  const plan = (await (await api.get('/api/commission/v1/plans/ae-graduated')).json()) as { tiers: { from: string; rate: string }[] };
  expect(plan.tiers).toHaveLength(3);
  const preview = page.getByTestId('plan-preview');
  // The rep list comes from the roster: read the chosen rep once the preview has answered for it.
  await expect(preview.getByTestId('preview-commission')).toBeVisible();
  const repId = await preview.getByLabel('Rep').inputValue();
  expect(repId).not.toBe('');
  const estimate = async () => (await (await api.post('/api/commission/v1/estimate', { data: { repId, amount: '25000.00', currency: 'USD' } })).json()) as Estimate;
  const before = await estimate();
  await expect(preview.getByTestId('preview-commission')).toContainText(usd(before.commission));

  // A rate that is not a decimal: the service names the field, the form keeps everything typed.
  const form = page.getByTestId('plan-form');
  const top = form.getByLabel('Tier 3: rate');
  await top.fill('ten percent');
  await form.getByRole('button', { name: 'Save as new version' }).click();
  await expect(top).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('#tier-2-rate-error')).toBeVisible();
  await expect(top).toHaveValue('ten percent');

  // Every tier pays a point more: whatever band the rep is in, the preview of the same deal must rise.
  for (const [i, tier] of plan.tiers.entries()) {
    await form.getByLabel(`Tier ${i + 1}: rate`).fill((Number(tier.rate) + 0.01).toFixed(2));
  }
  await form.getByRole('button', { name: 'Save as new version' }).click();
  await expect(form.getByTestId('plan-saved')).toContainText('version');

  await expect.poll(async () => (await estimate()).planVersion, { timeout: 15_000 }).toBeGreaterThan(before.planVersion);
  const after = await estimate();
  expect(Number(after.commission)).toBeGreaterThan(Number(before.commission));
  await expect(preview.getByTestId('preview-commission')).toContainText(usd(after.commission), { timeout: 15_000 });

  await expectAccessible(page);
  await screenshot(page, 'admin-edits-a-plan-and-sees-the-preview');
});
