import { Controller, ExecutionContext, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard, Roles } from './auth.guard';
import { JwtVerifier, mintToken } from './jwt';
import { Role } from './principal';

const secret = 'guard-test-secret-long-enough';

@Controller()
class Routes {
  @Get() open(): void {}
  @Roles('admin', 'manager') managers(): void {}
  @Roles('admin', 'display') board(): void {}
  @Roles('operator') platform(): void {}
}

type RouteName = 'open' | 'managers' | 'board' | 'platform';

function contextFor(route: RouteName, token: string): ExecutionContext {
  const request = { headers: { authorization: `Bearer ${token}` } };
  return {
    getHandler: () => Routes.prototype[route],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

async function outcome(route: RouteName, roles: Role[], extra: { tenantId?: string; teamId?: string; repId?: string } = {}): Promise<string> {
  const guard = new AuthGuard(new JwtVerifier({ secret }), new Reflector());
  const token = await mintToken({ secret, roles, tenantId: 't1', ...extra });
  return guard.canActivate(contextFor(route, token)).then(
    () => 'allowed',
    (e: { getStatus?: () => number }) => String(e.getStatus?.() ?? e),
  );
}

describe('AuthGuard with the explicit-only roles', () => {
  it('lets a tenant role reach a route without @Roles', async () => {
    expect(await outcome('open', ['rep'], { repId: 'r1' })).toBe('allowed');
  });

  it('keeps a display token off every route that does not name display', async () => {
    expect(await outcome('open', ['display'], { teamId: 'team-a' })).toBe('403');
    expect(await outcome('managers', ['display'], { teamId: 'team-a' })).toBe('403');
    expect(await outcome('board', ['display'], { teamId: 'team-a' })).toBe('allowed');
  });

  it('keeps an operator token off tenant routes and lets it reach the platform route', async () => {
    expect(await outcome('open', ['operator'], { tenantId: '' })).toBe('403');
    expect(await outcome('board', ['operator'], { tenantId: '' })).toBe('403');
    expect(await outcome('platform', ['operator'], { tenantId: '' })).toBe('allowed');
    expect(await outcome('platform', ['admin'])).toBe('403');
  });
});
