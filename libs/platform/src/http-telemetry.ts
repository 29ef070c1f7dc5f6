import { randomUUID } from 'node:crypto';
import { NextFunction, Request, Response } from 'express';
import { httpDuration, httpRequests, Logger } from '@pacer/observability';

type RoutedRequest = Request & { principal?: { tenantId?: string } };

/**
 * Counts and times every request by its route template (not the raw URL, which would explode label
 * cardinality), and logs one JSON line per request with the tenant and a correlation id.
 */
export function httpTelemetry(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const incoming = req.headers['x-correlation-id'];
    const correlationId = (Array.isArray(incoming) ? incoming[0] : incoming) ?? randomUUID();
    res.setHeader('x-correlation-id', correlationId);
    res.on('finish', () => {
      const r = req as RoutedRequest;
      const template = (r.route as { path?: string } | undefined)?.path;
      const route = template ? `${r.baseUrl}${template}` : 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      httpDuration.observe({ method: req.method, route }, seconds);
      if (route !== '/metrics' && !route.startsWith('/health')) {
        logger.info(
          {
            correlationId,
            tenantId: r.principal?.tenantId,
            method: req.method,
            route,
            status: res.statusCode,
            ms: Math.round(seconds * 1000),
          },
          'request',
        );
      }
    });
    next();
  };
}
