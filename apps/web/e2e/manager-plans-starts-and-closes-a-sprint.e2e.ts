import { expect, test } from '@playwright/test';
import { DateTime } from 'luxon';
import { expectAccessible, screenshot } from './support/checks';
import { signIn } from './support/sign-in';

interface SprintView {
  sprintId: string;
  status: string;
  goal: string;
  startDate: string;
}

test('a manager plans, starts and closes a sprint', async ({ page }) => {
  // The "Revenue machine" manager: the seeded sprints are the Hunters', so no other test's sprint is touched.
  const manager = await signIn(page, { subject: 'demo-mm' });
  const api = page.request;
  const sprintsOf = async () => (await (await api.get(`/api/sprint-planning/v1/teams/${manager.teamId}/sprints`)).json()) as SprintView[];
  const statusOf = async (sprintId: string) => (await sprintsOf()).find((s) => s.sprintId === sprintId)?.status;

  await page.getByRole('link', { name: 'Sprint planning' }).click();
  await page.waitForURL('**/manager/planning');
  const goal = `Book 20 meetings ${DateTime.now().toFormat('HHmmss')}`;
  const form = page.getByTestId('new-sprint');
  await form.getByLabel('Goal').fill(goal);
  await form.getByRole('button', { name: 'Plan sprint' }).click();
  await expect(page.getByTestId('sprints').getByRole('row').filter({ hasText: goal })).toContainText('Planned');
  const planned = (await sprintsOf()).find((s) => s.goal === goal);
  expect(planned).toMatchObject({ goal, status: 'planned' });

  // A commitment with a bad target: the service's message sits under the field, the typing stays.
  const commitment = page.getByTestId('commitment-s1');
  await commitment.getByLabel('Calls').fill('12.5');
  await commitment.getByLabel('Revenue won').fill('15000.00');
  await commitment.getByLabel('New item').fill('Call back the webinar leads');
  await commitment.getByRole('button', { name: 'Save commitment' }).click();
  const callsError = commitment.locator('#c-s1-calls-error');
  await expect(callsError).toBeVisible();
  await expect(commitment.getByLabel('Calls')).toHaveAttribute('aria-invalid', 'true');
  await expect(commitment.getByLabel('Revenue won')).toHaveValue('15000.00');
  await expect(commitment.getByLabel('New item')).toHaveValue('Call back the webinar leads');
  await commitment.getByLabel('Calls').fill('40');
  await commitment.getByRole('button', { name: 'Save commitment' }).click();
  await expect(commitment.getByRole('status')).toHaveText('Saved');
  const sprint = (await (await api.get(`/api/sprint-planning/v1/sprints/${planned!.sprintId}`)).json()) as { commitments: { repId: string; targets: Record<string, unknown>; itemIds: string[] }[] };
  expect(sprint.commitments.find((c) => c.repId === 's1')).toMatchObject({ targets: { calls: 40, revenueWon: '15000.00' } });

  const row = page.getByTestId('sprints').getByRole('row').filter({ hasText: goal });
  await row.getByRole('button', { name: 'Start' }).click();
  await expect(row).toContainText('Active');
  await expect.poll(() => statusOf(planned!.sprintId)).toBe('active');

  await row.getByRole('button', { name: 'Close' }).click();
  await expect(row).toContainText('Closed');
  await expect.poll(() => statusOf(planned!.sprintId)).toBe('closed');

  // The frozen report, as the service computed it.
  await row.getByRole('button').first().click();
  const report = (await (await api.get(`/api/sprint-planning/v1/sprints/${planned!.sprintId}/report`)).json()) as { team: { completionRatio: number | null } };
  const expected = report.team.completionRatio === null ? '—' : new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }).format(report.team.completionRatio);
  await expect(page.getByTestId('team-completion')).toHaveText(expected);
  await expect(page.getByRole('img', { name: 'Velocity' })).toBeVisible();

  await expectAccessible(page);
  await screenshot(page, 'manager-plans-starts-and-closes-a-sprint');
});
