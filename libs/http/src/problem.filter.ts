import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { Request, Response } from 'express';
import { Logger } from '@pacer/observability';
import { dependencyOutage, outageRetryAfterSeconds } from './outage';
import { FieldError, problem, PROBLEM_CONTENT_TYPE, ProblemDocument } from './problem';

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
  message?: string;
}

function fromBodyParser(e: unknown): ProblemDocument | undefined {
  const err = e as BodyParserError;
  switch (err?.type) {
    case 'entity.too.large':
      return problem(
        HttpStatus.PAYLOAD_TOO_LARGE,
        'body-too-large',
        'The request body is larger than the limit.',
      );
    case 'entity.parse.failed':
      return problem(HttpStatus.BAD_REQUEST, 'malformed-json', 'The request body is not valid JSON.', {
        errors: [{ path: '', message: err.message ?? 'invalid JSON' }],
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported-encoding', err.message);
    default: {
      // Other client errors of Express and its parsers (an aborted request, a bad encoding) carry a
      // 4xx status and a message meant for the client; anything else stays an unexpected 500.
      const status = err?.status ?? err?.statusCode;
      if (
        typeof status === 'number' &&
        status >= 400 &&
        status < 500 &&
        (e as { expose?: boolean }).expose === true
      ) {
        return problem(status, 'bad-request', err.message);
      }
      return undefined;
    }
  }
}

/**
 * Every error leaves the service as application/problem+json (RFC 9457). Unexpected errors are
 * logged with their stack and answered with a bare 500 so no internals leak to clients.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    // Postgres or Kafka unreachable is a temporary state of the service, not a bug: 503 + Retry-After.
    const outage = exception instanceof HttpException ? undefined : dependencyOutage(exception);
    const doc = outage
      ? problem(
          HttpStatus.SERVICE_UNAVAILABLE,
          'dependency-unavailable',
          `A dependency (${outage.dependency}) is unavailable; retry shortly.`,
        )
      : this.toProblem(exception);
    if (outage) {
      this.logger.warn(
        { dependency: outage.dependency, reason: outage.reason, path: req.path, method: req.method },
        'dependency unavailable',
      );
      if (!res.headersSent) res.setHeader('Retry-After', String(outageRetryAfterSeconds()));
    } else if (doc.status >= 500) {
      this.logger.error({ err: exception, path: req.path, method: req.method }, 'request failed');
    }
    if (res.headersSent) {
      return;
    }
    res
      .status(doc.status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify({ ...doc, instance: req.originalUrl }));
  }

  private toProblem(exception: unknown): ProblemDocument {
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const status = exception.getStatus();
      if (typeof body === 'object' && body !== null && 'type' in body && 'status' in body) {
        return body as ProblemDocument;
      }
      const message =
        typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
      const code =
        status === 404
          ? 'not-found'
          : status === 401
            ? 'unauthorized'
            : status === 403
              ? 'forbidden'
              : 'http-error';
      return problem(status, code, Array.isArray(message) ? message.join('; ') : String(message));
    }
    return (
      fromBodyParser(exception) ??
      problem(HttpStatus.INTERNAL_SERVER_ERROR, 'internal', 'An unexpected error occurred.')
    );
  }
}

/** What a service's own rule error carries: a stable code, its status, and the problem's members. */
export interface RuleViolation {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly extensions: Record<string, unknown>;
  readonly errors?: readonly FieldError[] | undefined;
}

/**
 * Answers a service's rule error (SprintPlanningError, CommissionError) as problem+json at the edge:
 * type from the code, then the extensions, then `errors`. The services' domain code throws those
 * errors without knowing HTTP; their filters call this, so every service words the answer alike.
 * A streamed answer (a CSV) that fails midway cannot be turned into a problem any more.
 */
export function sendRuleProblem(error: RuleViolation, host: ArgumentsHost): void {
  const ctx = host.switchToHttp();
  const res = ctx.getResponse<Response>();
  const req = ctx.getRequest<Request>();
  if (res.headersSent) return;
  const doc = problem(error.status, error.code, error.message, {
    ...error.extensions,
    ...(error.errors ? { errors: error.errors } : {}),
  });
  res
    .status(error.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify({ ...doc, instance: req.originalUrl }));
}
