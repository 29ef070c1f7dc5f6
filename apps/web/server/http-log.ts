import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { CORRELATION_ID_HEADER, httpDuration, httpRequests, Logger, withLogContext } from '@pacer/observability';

const SAFE_ID = /^[A-Za-z0-9._:/+=@-]{1,128}$/;

/**
 * One JSON line per request (probes and scrapes only counted), with a correlation id that is echoed
 * to the browser and forwarded to the services, so one click can be followed through every log.
 * Routes are labelled by their kind, never the raw URL, to keep metric cardinality bounded.
 */
export function httpLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const incoming = req.headers[CORRELATION_ID_HEADER];
    const correlationId = typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : randomUUID();
    req.headers[CORRELATION_ID_HEADER] = correlationId;
    res.setHeader(CORRELATION_ID_HEADER, correlationId);
    const route = routeOf(req.path);
    res.once('close', () => {
      const status = res.writableFinished || res.headersSent ? res.statusCode : 499;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      httpRequests.inc({ method: req.method, route, status: String(status) });
      if (route !== '/api/live') httpDuration.observe({ method: req.method, route }, seconds);
      if (route !== '/metrics' && !route.startsWith('/health') && route !== 'static') {
        logger.info({ correlationId, method: req.method, route, status, ms: Math.round(seconds * 1000) }, 'request');
      }
    });
    withLogContext({ correlationId }, next);
  };
}

function routeOf(path: string): string {
  const proxied = /^\/api\/([a-z-]+)\//.exec(path);
  if (path === '/api/live' || path === '/api/session' || path === '/api/sign-out' || path.startsWith('/api/dev/')) return path;
  if (proxied) return `/api/${proxied[1]}/*`;
  if (path.startsWith('/auth/') || path.startsWith('/health/') || path === '/metrics') return path;
  return path.startsWith('/api/') ? '/api/unknown' : 'static';
}
