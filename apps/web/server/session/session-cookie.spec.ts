import { SessionData, SessionSealer } from './session-cookie';

const session: SessionData = {
  token: 'header.payload.signature',
  principal: { subject: 'demo-h1', tenantId: 'demo', roles: ['rep'], repId: 'h1', teamId: 'hunters' },
  name: 'Ada Lindqvist',
  via: 'dev',
};

describe('the session cookie', () => {
  const sealer = new SessionSealer('a-session-secret-of-at-least-32-characters', 3600);

  it('opens to the session it sealed, and does not show the token in clear', async () => {
    const cookie = await sealer.seal(session);
    expect(cookie).not.toContain('header.payload.signature');
    expect(Buffer.from(cookie.split('.')[3] ?? '', 'base64url').toString('utf8')).not.toContain('payload');
    await expect(sealer.open(cookie)).resolves.toEqual(session);
  });

  it('is no session once expired', async () => {
    const cookie = await sealer.seal(session, new Date('2026-01-01T00:00:00Z'));
    await expect(sealer.open(cookie, new Date('2026-01-01T00:59:00Z'))).resolves.toEqual(session);
    await expect(sealer.open(cookie, new Date('2026-01-01T01:00:01Z'))).resolves.toBeUndefined();
  });

  it('is no session when tampered with or sealed under another secret', async () => {
    const cookie = await sealer.seal(session);
    const parts = cookie.split('.');
    const ciphertext = Buffer.from(parts[3] ?? '', 'base64url');
    ciphertext[0] = (ciphertext[0] ?? 0) ^ 1;
    parts[3] = ciphertext.toString('base64url');
    await expect(sealer.open(parts.join('.'))).resolves.toBeUndefined();
    const other = new SessionSealer('another-session-secret-of-32-characters!', 3600);
    await expect(other.open(cookie)).resolves.toBeUndefined();
    await expect(sealer.open('not a cookie')).resolves.toBeUndefined();
    await expect(sealer.open(undefined)).resolves.toBeUndefined();
  });
});
