import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { InvalidTokenError, JwtVerifier, mintToken } from './jwt';

const secret = 'test-secret-that-is-long-enough';

describe('JwtVerifier', () => {
  it('accepts an HS256 token minted with the secret and maps the claims', async () => {
    const token = await mintToken({ secret, tenantId: 't1', roles: ['rep'], repId: 'r1' });
    await expect(new JwtVerifier({ secret }).verify(token)).resolves.toEqual({
      subject: 'r1',
      tenantId: 't1',
      roles: ['rep'],
      repId: 'r1',
    });
  });

  it('rejects a token signed with another secret', async () => {
    const token = await mintToken({ secret: 'other-secret', tenantId: 't1', roles: ['admin'] });
    await expect(new JwtVerifier({ secret }).verify(token)).rejects.toThrow(InvalidTokenError);
  });

  it('rejects an expired token', async () => {
    const token = await mintToken({ secret, tenantId: 't1', roles: ['admin'], expiresIn: '-1m' });
    await expect(new JwtVerifier({ secret }).verify(token)).rejects.toThrow(/exp/);
  });

  it('rejects alg none and garbage', async () => {
    const head = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'x', tid: 't', roles: ['admin'] })).toString('base64url');
    await expect(new JwtVerifier({ secret }).verify(`${head}.${body}.`)).rejects.toThrow(InvalidTokenError);
    await expect(new JwtVerifier({ secret }).verify('not-a-token')).rejects.toThrow(InvalidTokenError);
  });

  it('requires tenant and a known role, and a repId for a rep', async () => {
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('s').sign(Buffer.from(secret));
    const v = new JwtVerifier({ secret });
    await expect(v.verify(await sign({ roles: ['admin'] }))).rejects.toThrow(/tid/);
    await expect(v.verify(await sign({ tid: 't', roles: ['root'] }))).rejects.toThrow(/role/);
    await expect(v.verify(await sign({ tid: 't', roles: ['rep'] }))).rejects.toThrow(/repId/);
  });

  it('verifies RS256 with the configured public key and refuses HS256 when no secret is set', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const token = await new SignJWT({ tid: 't9', roles: ['bi'] })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('etl')
      .setExpirationTime('1h')
      .sign(privateKey);
    const v = new JwtVerifier({ publicKey: pem });
    await expect(v.verify(token)).resolves.toMatchObject({ tenantId: 't9', roles: ['bi'] });
    const hs = await mintToken({ secret, tenantId: 't9', roles: ['admin'] });
    await expect(v.verify(hs)).rejects.toThrow(/HS256/);
  });
});

describe('display and operator tokens', () => {
  it('maps a display token to its team and refuses one without a team or with another role', async () => {
    const v = new JwtVerifier({ secret });
    const tv = await mintToken({ secret, tenantId: 't1', roles: ['display'], teamId: 'team-a', subject: 'tv-1' });
    await expect(v.verify(tv)).resolves.toEqual({ subject: 'tv-1', tenantId: 't1', roles: ['display'], teamId: 'team-a' });
    await expect(v.verify(await mintToken({ secret, tenantId: 't1', roles: ['display'] }))).rejects.toThrow(/teamId/);
    await expect(
      v.verify(await mintToken({ secret, tenantId: 't1', roles: ['display', 'admin'], teamId: 'team-a' })),
    ).rejects.toThrow(/no other role/);
  });

  it('maps an operator token to no tenant and refuses one that names a tenant', async () => {
    const v = new JwtVerifier({ secret });
    const op = await mintToken({ secret, roles: ['operator'], subject: 'ops' });
    await expect(v.verify(op)).resolves.toEqual({ subject: 'ops', tenantId: '', roles: ['operator'] });
    await expect(v.verify(await mintToken({ secret, tenantId: 't1', roles: ['operator'] }))).rejects.toThrow(/tid/);
    await expect(v.verify(await mintToken({ secret, roles: ['operator', 'admin'] }))).rejects.toThrow(/no other role/);
  });
});
