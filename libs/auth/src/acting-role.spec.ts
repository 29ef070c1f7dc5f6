import { Controller, ExecutionContext, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard, Roles } from './auth.guard';
import { JwtVerifier, mintToken } from './jwt';
import { actingRole, Principal, Role } from './principal';

function principal(roles: Role[], actingAs?: Role): Principal {
  return { subject: 's', tenantId: 't', roles, ...(actingAs ? { actingAs } : {}) };
}

describe('actingRole: the most privileged role the route allows', () => {
  it('a rep-only token acts as rep', () => {
    expect(actingRole(principal(['rep']), ['admin', 'ingest', 'rep'])).toBe('rep');
  });

  it('a token with several roles acts in the most privileged one the route allows', () => {
    expect(actingRole(principal(['rep', 'admin']), ['admin', 'ingest', 'rep'])).toBe('admin');
    expect(actingRole(principal(['rep', 'ingest']), ['admin', 'ingest', 'rep'])).toBe('ingest');
    // manager may not record activities, so a manager's token that is also a rep's records as the rep
    expect(actingRole(principal(['manager', 'rep']), ['admin', 'ingest', 'rep'])).toBe('rep');
  });

  it('without a route restriction, the most privileged role held', () => {
    expect(actingRole(principal(['bi', 'manager', 'rep']))).toBe('manager');
  });

  it('keeps the role the guard set when the caller asks within it', () => {
    expect(actingRole(principal(['admin', 'rep'], 'rep'))).toBe('rep');
    expect(actingRole(principal(['admin', 'rep'], 'rep'), ['admin'])).toBe('admin');
  });
});

@Controller()
class Routes {
  @Roles('admin', 'ingest', 'rep') @Get('w') write(): void {}
  @Get('r') read(): void {}
}

describe('AuthGuard sets the acting role on the principal', () => {
  async function actingOn(route: 'write' | 'read', roles: Role[]): Promise<Role | undefined> {
    const guard = new AuthGuard(
      new JwtVerifier({ secret: 'acting-role-secret-long-enough' }),
      new Reflector(),
    );
    const token = await mintToken({
      secret: 'acting-role-secret-long-enough',
      roles,
      tenantId: 't1',
      repId: 'r1',
    });
    const request: { headers: Record<string, string>; principal?: Principal } = {
      headers: { authorization: `Bearer ${token}` },
    };
    const context = {
      getHandler: () => Routes.prototype[route],
      getClass: () => Routes,
      switchToHttp: () => ({ getRequest: () => request }),
    } as unknown as ExecutionContext;
    await guard.canActivate(context);
    return request.principal?.actingAs;
  }

  it('names the role of the route, most privileged first', async () => {
    expect(await actingOn('write', ['manager', 'rep'])).toBe('rep');
    expect(await actingOn('write', ['admin', 'rep'])).toBe('admin');
    expect(await actingOn('read', ['manager', 'rep'])).toBe('manager');
  });
});
