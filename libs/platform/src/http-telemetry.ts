import { randomUUID } from 'node:crypto';
import { Context, context, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { NextFunction, Request, Response } from 'express';
import {
  CORRELATION_ID_HEADER,
  extractTraceContext,
  httpDuration,
  httpRequests,
  Logger,
  pacerTracer,
  tracingEnabled,
  withLogContext,
} from '@pacer/observability';

type RoutedRequest = Request & { principal?: { tenantId?: string } };

/** Ids a client may choose: no spaces or control characters, bounded, so they are safe to log and echo. */
const SAFE_ID = /^[A-Za-z0-9._:/+=@-]{1,128}$/;
/** A JWT (three base64url parts, the first a JSON header): never log one, even sent as an id. */
const LOOKS_LIKE_JWT = /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/;

/** `x-correlation-id`, else `x-request-id`, when it is a safe id; otherwise a fresh UUID. */
export function correlationIdOf(req: Pick<Request, 'headers'>): string {
  for (const name of [CORRELATION_ID_HEADER, 'x-request-id']) {
    const raw = req.headers[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined && SAFE_ID.test(value) && !LOOKS_LIKE_JWT.test(value)) {
      return value;
    }
  }
  return randomUUID();
}

/** Probes and scrapes: counted, but neither logged nor traced (they would drown the rest). */
function isOperational(path: string): boolean {
  return path === '/metrics' || path.startsWith('/health/');
}

/**
 * Counts and times every request by its route template (not the raw URL, which would explode label
 * cardinality), and logs one JSON line per request with the tenant (from the authenticated
 * principal), a correlation id (echoed as a response header, and in the log context of everything
 * the request does, so outbox records carry it too) and, while tracing is on, the trace id of the
 * request's server span, which continues an incoming `traceparent`.
 */
export function httpTelemetry(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const correlationId = correlationIdOf(req);
    res.setHeader(CORRELATION_ID_HEADER, correlationId);
    const operational = isOperational(req.path);
    const parent = tracingEnabled() && !operational ? extractTraceContext(req.headers) : undefined;
    const span = parent ? startServerSpan(req, parent) : undefined;

    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      const r = req as RoutedRequest;
      const template = (r.route as { path?: string } | undefined)?.path;
      const route = template ? `${r.baseUrl}${template}` : 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // A client that hung up before the response: no status was sent.
      const status = res.writableFinished ? res.statusCode : 499;
      httpRequests.inc({ method: req.method, route, status: String(status) });
      httpDuration.observe({ method: req.method, route }, seconds);
      if (span) {
        span.updateName(`${req.method} ${route}`);
        span.setAttribute('http.route', route);
        span.setAttribute('http.response.status_code', status);
        if (r.principal?.tenantId) span.setAttribute('pacer.tenant_id', r.principal.tenantId);
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
      if (!operational) {
        logger.info(
          {
            correlationId,
            tenantId: r.principal?.tenantId,
            ...(span ? { traceId: span.spanContext().traceId } : {}),
            method: req.method,
            route,
            status,
            ms: Math.round(seconds * 1000),
          },
          'request',
        );
      }
    };
    res.once('finish', end);
    res.once('close', end);

    const run = (): void => withLogContext({ correlationId }, next);
    if (parent && span) {
      context.with(trace.setSpan(parent, span), run);
    } else {
      run();
    }
  };
}

function startServerSpan(req: Request, parent: Context): Span {
  return pacerTracer().startSpan(
    req.method,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': req.method,
        'url.path': req.path,
        'url.scheme': req.protocol,
        ...(req.headers['user-agent'] ? { 'user_agent.original': req.headers['user-agent'] } : {}),
      },
    },
    parent,
  );
}
