import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { Principal } from '@pacer/auth';
import { ProblemException } from '@pacer/http';

/**
 * The throttler's name, which prefixes its storage keys. It is the throttler's `default`: any other
 * name is appended to the headers (`Retry-After-tenant`), which no HTTP client reads.
 */
export const TENANT_THROTTLER = 'default';

/**
 * @nestjs/throttler keyed by the caller's tenant instead of its IP: one budget per tenant for the whole
 * service (every route that uses the guard, every replica, through PostgresThrottlerStorage). Runs
 * after the global AuthGuard (controller guards come after global ones), so the tenant is the verified
 * one from the token, never a header a client sets. Operators (no tenant) are not limited.
 */
@Injectable()
export class TenantThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return !tenantOf(context.switchToHttp().getRequest<{ principal?: Principal }>());
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    return tenantOf(req as { principal?: Principal }) ?? '';
  }

  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, detail.timeToBlockExpire);
    this.setResponseHeader(context.switchToHttp().getResponse<Record<string, unknown>>(), 'Retry-After', seconds);
    throw new ProblemException(429, 'rate-limited', `Too many requests for this tenant; retry in ${seconds} s.`, {
      retryAfterSeconds: seconds,
    });
  }
}

function tenantOf(req: { principal?: Principal }): string | undefined {
  const tenantId = req.principal?.tenantId;
  return tenantId ? tenantId : undefined;
}
