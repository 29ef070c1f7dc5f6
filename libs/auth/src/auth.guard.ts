import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { outageRetryAfterSeconds, ProblemException } from '@pacer/http';
import { InvalidTokenError, JwtVerifier } from './jwt';
import { IssuerUnavailableError } from './oidc';
import { actingRole, EXPLICIT_ONLY_ROLES, hasRole, Principal, Role } from './principal';

const PUBLIC = 'pacer:public';
const ROLES_KEY = 'pacer:roles';

/** Marks a route as reachable without a token (health and metrics only). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC, true);

/** Restricts a route to callers holding at least one of the roles. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

interface AuthedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/** The verified caller of the current request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!principal) {
    throw new ProblemException(401, 'unauthorized', 'A bearer token is required.');
  }
  return principal;
});

/** Global guard: 401 without a valid bearer token, 403 when the route's roles exclude the caller. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly verifier: JwtVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) {
      return true;
    }
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers['authorization'];
    const value = Array.isArray(header) ? header[0] : header;
    const match = /^Bearer\s+(\S+)$/i.exec(value ?? '');
    if (!match?.[1]) {
      throw new ProblemException(401, 'unauthorized', 'A bearer token is required.');
    }
    try {
      req.principal = await this.verifier.verify(match[1]);
    } catch (e) {
      if (e instanceof IssuerUnavailableError) {
        // The identity provider is down, not the token wrong: a 401 would send clients to sign in again.
        context.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>().setHeader('Retry-After', String(outageRetryAfterSeconds()));
        throw new ProblemException(503, 'dependency-unavailable', 'The identity provider is unavailable; retry shortly.');
      }
      const reason = e instanceof InvalidTokenError ? e.message : 'invalid token';
      throw new ProblemException(401, 'unauthorized', `The bearer token is not valid: ${reason}.`);
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !hasRole(req.principal, ...roles)) {
      throw new ProblemException(403, 'forbidden', `This action needs one of the roles: ${roles.join(', ')}.`);
    }
    const explicitOnly = req.principal.roles.filter((r) => EXPLICIT_ONLY_ROLES.includes(r));
    if (explicitOnly.length > 0 && !explicitOnly.some((r) => roles?.includes(r))) {
      throw new ProblemException(403, 'forbidden', `The ${explicitOnly.join(', ')} role may not take this action.`);
    }
    req.principal = { ...req.principal, actingAs: actingRole(req.principal, roles) };
    return true;
  }
}
