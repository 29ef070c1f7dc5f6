import { JwtVerifier } from '@pacer/auth';
import { buildProgram } from '../program';
import { captureIo } from '../test-io';
import { mintDevToken, parseRoles } from './token.command';

const secret = 'cli-test-secret';

describe('pacer token', () => {
  it('prints a JWT the services accept, with tenant, roles and rep', async () => {
    const io = captureIo({ PACER_JWT_SECRET: secret });
    await buildProgram(io).parseAsync([
      'node',
      'pacer',
      'token',
      '--tenant',
      'acme',
      '--roles',
      'rep,manager',
      '--rep',
      'ana',
      '--expires',
      '1h',
    ]);
    const token = io.out().trim();
    await expect(new JwtVerifier({ secret }).verify(token)).resolves.toEqual({
      subject: 'ana',
      tenantId: 'acme',
      roles: ['rep', 'manager'],
      repId: 'ana',
    });
  });

  it('refuses unknown roles, a rep token without --rep, and a missing secret', async () => {
    expect(() => parseRoles('admin,root')).toThrow(/unknown: root/);
    expect(() => parseRoles(' , ')).toThrow(/comma-separated/);
    await expect(
      mintDevToken({ tenant: 't', roles: 'rep', expires: '1h' }, { PACER_JWT_SECRET: secret }),
    ).rejects.toThrow(/--rep/);
    await expect(mintDevToken({ tenant: 't', roles: 'admin', expires: '1h' }, {})).rejects.toThrow(
      /PACER_JWT_SECRET/,
    );
  });

  it('reports a missing required option as a usage error (exit 2)', async () => {
    const io = captureIo({ PACER_JWT_SECRET: secret });
    await expect(
      buildProgram(io).parseAsync(['node', 'pacer', 'token', '--tenant', 'acme']),
    ).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('--roles') });
  });

  it('mints an operator token without a tenant, and refuses one with a tenant or a tenant role', async () => {
    const io = captureIo({ PACER_JWT_SECRET: secret });
    await buildProgram(io).parseAsync(['node', 'pacer', 'token', '--roles', 'operator', '--subject', 'ops']);
    await expect(new JwtVerifier({ secret }).verify(io.out().trim())).resolves.toEqual({
      subject: 'ops',
      tenantId: '',
      roles: ['operator'],
    });
    const env = { PACER_JWT_SECRET: secret };
    await expect(mintDevToken({ tenant: 'acme', roles: 'operator', expires: '1h' }, env)).rejects.toThrow(
      /no tenant/,
    );
    await expect(mintDevToken({ roles: 'operator,admin', expires: '1h' }, env)).rejects.toThrow(
      /stands alone/,
    );
    await expect(mintDevToken({ roles: 'admin', expires: '1h' }, env)).rejects.toThrow(/--tenant/);
  });

  it('mints a display token for one team with --team', async () => {
    const io = captureIo({ PACER_JWT_SECRET: secret });
    await buildProgram(io).parseAsync([
      'node',
      'pacer',
      'token',
      '--tenant',
      'acme',
      '--roles',
      'display',
      '--team',
      'east',
    ]);
    await expect(new JwtVerifier({ secret }).verify(io.out().trim())).resolves.toMatchObject({
      tenantId: 'acme',
      roles: ['display'],
      teamId: 'east',
    });
    const env = { PACER_JWT_SECRET: secret };
    await expect(mintDevToken({ tenant: 'acme', roles: 'display', expires: '1h' }, env)).rejects.toThrow(
      /--team/,
    );
    await expect(
      mintDevToken({ tenant: 'acme', roles: 'admin', team: 'east', expires: '1h' }, env),
    ).rejects.toThrow(/display role/);
  });
});
