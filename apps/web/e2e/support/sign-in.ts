import { expect, type APIRequestContext, type Page } from '@playwright/test';

/** Who to sign in as: a role (the first such person of the demo tenant) or an exact demo subject. */
export type Who = 'admin' | 'manager' | 'rep' | 'display' | { subject: string };

export interface DevPerson {
  subject: string;
  name: string;
  roles: string[];
  repId?: string;
  teamId?: string;
  teamName?: string;
}

/** The start screen of each role (the contract of the web app's shape). */
export const START_SCREEN: Record<'admin' | 'manager' | 'rep' | 'display', string> = {
  admin: '/admin',
  manager: '/manager',
  rep: '/rep',
  display: '/tv',
};

/** The demo tenant's people as the development sign-in lists them. */
export async function demoPeople(api: APIRequestContext): Promise<DevPerson[]> {
  const res = await api.get('/api/dev/people');
  expect(res.status(), 'GET /api/dev/people').toBe(200);
  return (await res.json()) as DevPerson[];
}

export async function personFor(api: APIRequestContext, who: Who): Promise<DevPerson> {
  const people = await demoPeople(api);
  const person = typeof who === 'string' ? people.find((p) => p.roles.includes(who)) : people.find((p) => p.subject === who.subject);
  if (!person) throw new Error(`no demo person for ${JSON.stringify(who)}`);
  return person;
}

/**
 * Signs in the way a person does in development: open the sign-in screen, click their name, land on
 * their start screen. Returns who it was, for assertions on their numbers.
 */
export async function signIn(page: Page, who: Who): Promise<DevPerson> {
  const person = await personFor(page.request, who);
  await page.goto('/sign-in');
  await page.getByTestId(`sign-in-${person.subject}`).click();
  const role = (['admin', 'manager', 'display', 'rep'] as const).find((r) => person.roles.includes(r));
  if (role) await page.waitForURL((url) => url.pathname.startsWith(START_SCREEN[role]));
  return person;
}

/** Signs in an API context without the UI (its own cookie jar): a second actor in a test. */
export async function signInQuietly(api: APIRequestContext, who: Who): Promise<DevPerson> {
  const person = await personFor(api, who);
  const res = await api.post('/api/dev/sign-in', { data: { subject: person.subject } });
  expect(res.status(), `sign-in of ${person.subject}`).toBe(204);
  return person;
}
