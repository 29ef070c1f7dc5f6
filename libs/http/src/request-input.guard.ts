import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { Reflector } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';
import { NestExpressApplication } from '@nestjs/platform-express';
import { IncomingMessage } from 'node:http';
import { NextFunction, Request, Response } from 'express';
import { Observable } from 'rxjs';
import { FORBIDDEN_KEYS, INPUT_LIMITS, isId, isStorableText } from '@pacer/sales-domain';
import { assertSafeJsonContent, parseJsonText } from './json-input';
import { FieldError, ProblemException } from './problem';

/**
 * What an endpoint takes as its body (SPEC §3):
 * - `json`: a JSON body is required (a handler with `@Body()` gets this by default);
 * - `optional-json`: a JSON body or none; none reaches the handler as `{}`;
 * - `none`: no body, or `{}` (a handler without `@Body()` gets this by default);
 * - `json-items`: a JSON body is required, and the handler checks each item's content itself (a batch
 *   whose invalid items are rejected one by one while the valid ones are accepted);
 * - `stream`: the handler reads the raw stream and checks its content type itself (imports).
 */
export type BodyPolicy = 'json' | 'json-items' | 'optional-json' | 'none' | 'stream';

const BODY_POLICY = 'pacer:body-policy';
const JSON_MEDIA_TYPE = /^application\/([a-z0-9!#$&^_.-]+\+)?json$/;

/** Declares what the endpoint takes as a body, when the default inferred from `@Body()` is not right. */
export const TakesBody = (policy: BodyPolicy): MethodDecorator => SetMetadata(BODY_POLICY, policy);

function hasBody(req: Request): boolean {
  const length = Number(req.headers['content-length'] ?? 'NaN');
  return req.headers['transfer-encoding'] !== undefined || (!Number.isNaN(length) && length > 0);
}

/** `application/json` or any `application/<x>+json`, whatever its parameters. */
function isJsonRequest(req: IncomingMessage): boolean {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return JSON_MEDIA_TYPE.test(mediaType);
}

/**
 * Reads JSON bodies (any `application/json` or `+json` type) as text and parses them under the
 * input rules; other content types are left unread for the route to accept (a stream) or refuse (415).
 */
function parseJsonBody(req: Request, _res: Response, next: NextFunction): void {
  if (typeof req.body !== 'string') {
    next();
    return;
  }
  const text = req.body;
  req.body = undefined;
  try {
    if (text.length > 0) req.body = parseJsonText(text);
    next();
  } catch (e) {
    next(e);
  }
}

function queryProblems(query: unknown): FieldError[] {
  const out: FieldError[] = [];
  if (typeof query !== 'object' || query === null) return out;
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
    if (FORBIDDEN_KEYS.has(key) || !isStorableText(key)) {
      out.push({ path: key, message: `${key} is not an accepted parameter name` });
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && !isStorableText(v))) {
      out.push({ path: key, message: 'must not contain NUL characters or unpaired surrogates' });
    }
  }
  return out;
}

function paramProblems(params: Record<string, string | string[]> | undefined): FieldError[] {
  return Object.entries(params ?? {})
    .filter(([, value]) => !(Array.isArray(value) ? value.every(isId) : isId(value)))
    .map(([name]) => ({
      path: name,
      message: `${name} must be ${INPUT_LIMITS.idMinLength} to ${INPUT_LIMITS.idMaxLength} characters without control characters`,
    }));
}

/**
 * The one request-input guard of every service (SPEC §3): path and query parameters, and the body
 * the endpoint takes. It runs after authentication (an anonymous caller learns nothing about a
 * route's inputs) and before the validation pipe, which then sees only bodies it can read.
 */
@Injectable()
export class RequestInputInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const problems = [...paramProblems(req.params), ...queryProblems(req.query)];
    if (problems.length > 0) throw ProblemException.validation(problems, 'A path or query parameter is not valid.');
    this.checkBody(req, this.policyOf(context));
    return next.handle();
  }

  private policyOf(context: ExecutionContext): BodyPolicy {
    const declared = this.reflector.get<BodyPolicy | undefined>(BODY_POLICY, context.getHandler());
    if (declared) return declared;
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as Record<
      string,
      unknown
    >;
    const bodyArg = Object.entries(args).find(([key]) => key.split(':')[0] === String(RouteParamtypes.BODY));
    if (!bodyArg) return 'none';
    // A DTO that declares no fields (`{}` or nothing, e.g. a rebuild request) takes what `none` takes.
    const index = (bodyArg[1] as { index?: number }).index ?? -1;
    const types = (Reflect.getMetadata('design:paramtypes', context.getClass().prototype, context.getHandler().name) ?? []) as unknown[];
    const dto = types[index];
    const declaresFields =
      typeof dto !== 'function' || getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).length > 0;
    return declaresFields ? 'json' : 'none';
  }

  private checkBody(req: Request, policy: BodyPolicy): void {
    if (policy === 'stream') return;
    const present = hasBody(req);
    if (present && !isJsonRequest(req)) {
      const type = req.headers['content-type'];
      throw new ProblemException(415, 'unsupported-media-type', 'This endpoint takes an application/json body.', {
        errors: [{ path: '', message: type ? `a ${type.split(';')[0]} body is not accepted; send application/json` : 'a body without Content-Type is not accepted; send application/json' }],
      });
    }
    const body: unknown = present ? req.body : undefined;
    if (body === undefined) {
      if (policy === 'json' || policy === 'json-items') {
        throw ProblemException.validation([{ path: '', message: 'a JSON body is required' }], 'The request has no body.');
      }
      // Nest's ValidationPipe would turn a missing body into {} anyway; saying so here keeps it explicit.
      req.body = {};
      return;
    }
    if (policy !== 'json-items') assertSafeJsonContent(body);
    if (policy === 'none') {
      const isEmptyObject = typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0;
      if (!isEmptyObject) {
        const first = typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.keys(body)[0] : undefined;
        throw ProblemException.validation(
          [{ path: first ?? '', message: first ? `${first} is not a field of this endpoint` : 'this endpoint takes no body, or {}' }],
          'This endpoint takes no body, or {}.',
        );
      }
    }
  }
}

/**
 * Installs the request-input guard on a service: JSON bodies read as text up to `bodyLimit` and
 * parsed safely, then the interceptor above for every route.
 */
export function useRequestInputGuard(app: NestExpressApplication, options: { bodyLimit: string | number }): void {
  app.useBodyParser('text', { type: isJsonRequest, limit: options.bodyLimit, defaultCharset: 'utf-8' });
  app.use(parseJsonBody);
  app.useGlobalInterceptors(new RequestInputInterceptor(app.get(Reflector)));
}
