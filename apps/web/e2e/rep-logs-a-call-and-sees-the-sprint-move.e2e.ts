import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot } from './support/checks';
import { signIn } from './support/sign-in';

interface Board {
  sprintId: string;
  status: string;
  reps: { repId: string; targets: Record<string, unknown>; actuals: Record<string, unknown>; items: { itemId: string; title: string; status: string }[] }[];
}

test('a rep logs a call and sees the sprint move', async ({ page }) => {
  const rep = await signIn(page, { subject: 'demo-h1' });
  const api = page.request;

  // The rep's team sprint now; another test may have rolled the team on, so make sure the rep holds
  // a calls target and an item in it (a rep may set its own commitment).
  const sprints = (await (await api.get(`/api/sprint-planning/v1/teams/${rep.teamId}/sprints`)).json()) as { sprintId: string; status: string }[];
  const sprint = sprints.find((s) => s.status === 'active');
  expect(sprint, 'an active sprint for the rep’s team').toBeTruthy();
  const boardUrl = `/api/sprint-planning/v1/sprints/${sprint!.sprintId}/board`;
  const mine = async () => ((await (await api.get(boardUrl)).json()) as Board).reps.find((r) => r.repId === rep.repId)!;
  let me = await mine();
  if (me.targets['calls'] === undefined || me.items.length === 0) {
    const res = await api.put(`/api/sprint-planning/v1/sprints/${sprint!.sprintId}/commitments/${rep.repId}`, {
      data: { targets: { ...me.targets, calls: 30 }, items: [...me.items.map((i) => ({ itemId: i.itemId, title: i.title })), { itemId: `${rep.repId}-e2e-follow-up`, title: 'Follow up the e2e lead' }] },
    });
    expect(res.ok(), `commitment of ${rep.repId}`).toBeTruthy();
    me = await mine();
    await page.reload();
  }
  const before = Number(me.actuals['calls']);
  const targets = page.getByTestId('my-targets');
  await expect(targets.getByTestId('actual-calls')).toHaveText(String(before));

  // Two clicks: what happened, then how it went.
  await page.getByRole('button', { name: 'Call' }).click();
  await page.getByRole('button', { name: 'Connected' }).click();
  await expect(page.getByTestId('log-done')).toHaveText('Call logged.');

  // The KPI service counts it into the rep's sprint; the board (API) and then the screen show it.
  await expect.poll(async () => Number((await mine()).actuals['calls']), { timeout: 30_000 }).toBe(before + 1);
  await expect(targets.getByTestId('actual-calls')).toHaveText(String(before + 1), { timeout: 15_000 });
  const progress = (await mine()).targets['calls'];
  expect(Number(progress)).toBeGreaterThan(0);

  // Ticking an item moves it on the board too.
  const item = me.items[0]!;
  const row = page.getByTestId('my-items').getByRole('listitem').filter({ hasText: item.title });
  await row.getByRole('button', { name: 'Doing' }).click();
  await expect(row.getByRole('button', { name: 'Doing' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await mine()).items.find((i) => i.itemId === item.itemId)?.status, { timeout: 10_000 }).toBe('doing');

  await expectAccessible(page);
  await screenshot(page, 'rep-logs-a-call-and-sees-the-sprint-move');
});
