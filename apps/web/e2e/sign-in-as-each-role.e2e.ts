import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot } from './support/checks';
import { personFor, signIn, START_SCREEN } from './support/sign-in';

// A person picks their name on the development sign-in screen and lands on the screen of their role;
// the session is an HttpOnly cookie the page's JavaScript cannot read.
for (const role of ['admin', 'manager', 'rep', 'display'] as const) {
  test(`a ${role} signs in and lands on ${START_SCREEN[role]}`, async ({ page }) => {
    const person = await signIn(page, role);
    await expect(page).toHaveURL(new RegExp(`${START_SCREEN[role]}(/|$|\\?)`));
    await expect(page.locator('main')).toBeVisible();
    await expect(page.locator('h1').first()).toBeVisible();

    const session = await page.request.get('/api/session');
    expect(session.status()).toBe(200);
    const { principal } = (await session.json()) as { principal: { subject: string; roles: string[]; teamId?: string; repId?: string } };
    expect(principal.subject).toBe(person.subject);
    expect(principal.roles).toContain(role);
    if (role === 'display') expect(principal.teamId).toBe(person.teamId);
    if (role === 'rep') expect(principal.repId).toBe(person.repId);
    expect(await page.evaluate<string>('document.cookie')).not.toContain('pacer_session');
    await expectAccessible(page);

    const out = await page.request.post('/api/sign-out');
    expect(out.status()).toBe(204);
    expect((await page.request.get('/api/session')).status()).toBe(401);
  });
}

test('the sign-in screen lists every role of the demo tenant', async ({ page }) => {
  for (const role of ['admin', 'manager', 'rep', 'display'] as const) {
    const person = await personFor(page.request, role);
    await page.goto('/sign-in');
    await expect(page.getByTestId(`sign-in-${person.subject}`)).toBeVisible();
  }
  await expectAccessible(page);
  await screenshot(page, 'sign-in-as-each-role');
});
