import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Response } from 'express';
import { Principal } from '@pacer/auth';
import { ServiceConfig } from '@pacer/config';
import { ProblemException } from '@pacer/http';
import { SERVICE_CONFIG } from '@pacer/platform';
import { TokenBuckets } from './token-buckets';

/** The per-tenant request budget of this replica (PACER_RATE_LIMIT_PER_MINUTE). */
@Injectable()
export class TenantRateLimiter {
  readonly buckets: TokenBuckets;

  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.buckets = new TokenBuckets(config.http.rateLimitPerMinute, 60_000);
  }
}

/**
 * 429 when a tenant exceeds its budget. Runs after the global AuthGuard (controller guards come
 * after global ones), so the tenant is the verified one from the token, never a header a client sets.
 */
@Injectable()
export class TenantRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: TenantRateLimiter) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const tenantId = http.getRequest<{ principal?: Principal }>().principal?.tenantId;
    if (tenantId === undefined) return true;
    const result = this.limiter.buckets.take(tenantId);
    if (result.allowed) return true;
    const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
    http.getResponse<Response>().setHeader('retry-after', String(seconds));
    throw new ProblemException(
      429,
      'rate-limited',
      `Too many requests for this tenant; retry in ${seconds} s.`,
      {
        retryAfterSeconds: seconds,
      },
    );
  }
}
