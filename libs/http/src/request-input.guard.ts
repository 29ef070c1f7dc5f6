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
import { IncomingMessage, ServerResponse } from 'node:http';
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
 * - `stream`: the handler reads the raw stream and checks its content type itself (imports);
 * - `raw`: a body of one of the media types named with `TakesRawBody` is required, and the handler gets
 *   its exact bytes (`rawBodyOf`) as well as the parsed JSON, e.g. to check a signature over them.
 */
export type BodyPolicy = 'json' | 'json-items' | 'optional-json' | 'none' | 'stream' | 'raw';

const BODY_POLICY = 'pacer:body-policy';
const RAW_MEDIA_TYPES = 'pacer:raw-media-types';
const JSON_MEDIA_TYPE = /^application\/([a-z0-9!#$&^_.-]+\+)?json$/;
const XML_MEDIA_TYPE = /^(text\/xml|application\/([a-z0-9!#$&^_.-]+\+)?xml)$/;

/** Declares what the endpoint takes as a body, when the default inferred from `@Body()` is not right. */
export const TakesBody = (policy: Exclude<BodyPolicy, 'raw'>): MethodDecorator => SetMetadata(BODY_POLICY, policy);

/**
 * The endpoint takes a body of one of `mediaTypes` (JSON or XML types, e.g. `application/json`,
 * `text/xml`) and reads its exact bytes with `rawBodyOf`: JSON bodies are still parsed under the input
 * rules (depth, prototype keys, NUL) into `req.body`; XML bodies are left to the handler. Other types
 * are `415`, a missing body `400`, and the byte limit is the service's body limit (`413`).
 */
export const TakesRawBody = (mediaTypes: readonly string[]): MethodDecorator => {
  const types = mediaTypes.map((t) => t.toLowerCase());
  for (const t of types) {
    if (!JSON_MEDIA_TYPE.test(t) && !XML_MEDIA_TYPE.test(t)) throw new Error(`TakesRawBody: ${t} is neither a JSON nor an XML type`);
  }
  const policy = SetMetadata(BODY_POLICY, 'raw');
  const accepted = SetMetadata(RAW_MEDIA_TYPES, types);
  return (target, key, descriptor) => {
    policy(target, key, descriptor);
    accepted(target, key, descriptor);
  };
};

interface RawBodyRequest extends IncomingMessage {
  rawBody?: Buffer;
}

/** The exact bytes of a request body read by the guard (every JSON or XML body), or undefined. */
export function rawBodyOf(req: IncomingMessage): Buffer | undefined {
  return (req as RawBodyRequest).rawBody;
}

// body-parser's verify hook sees the bytes before decoding: the only exact copy of what was signed.
function keepRawBody(req: IncomingMessage, _res: ServerResponse, bytes: Buffer): void {
  (req as RawBodyRequest).rawBody = bytes;
}

function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function hasBody(req: Request): boolean {
  const length = Number(req.headers['content-length'] ?? 'NaN');
  return req.headers['transfer-encoding'] !== undefined || (!Number.isNaN(length) && length > 0);
}

/** `application/json` or any `application/<x>+json`, whatever its parameters. */
function isJsonRequest(req: IncomingMessage): boolean {
  return JSON_MEDIA_TYPE.test(mediaTypeOf(req));
}

/** `text/xml`, `application/xml` or any `application/<x>+xml`: read as bytes, only `raw` routes take them. */
function isXmlRequest(req: IncomingMessage): boolean {
  return XML_MEDIA_TYPE.test(mediaTypeOf(req));
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
    this.checkBody(req, this.policyOf(context), context);
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

  private checkBody(req: Request, policy: BodyPolicy, context: ExecutionContext): void {
    if (policy === 'stream') return;
    if (policy === 'raw') {
      this.checkRawBody(req, this.reflector.get<string[] | undefined>(RAW_MEDIA_TYPES, context.getHandler()) ?? []);
      return;
    }
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

  private checkRawBody(req: Request, accepted: readonly string[]): void {
    const type = mediaTypeOf(req);
    if (!hasBody(req) || !accepted.includes(type)) {
      const list = accepted.join(' or ');
      if (hasBody(req) || type !== '') {
        throw new ProblemException(415, 'unsupported-media-type', `This endpoint takes ${list}.`, {
          errors: [{ path: '', message: type ? `a ${type} body is not accepted; send ${list}` : `a body without Content-Type is not accepted; send ${list}` }],
        });
      }
      throw ProblemException.validation([{ path: '', message: `a ${list} body is required` }], 'The request has no body.');
    }
    if (rawBodyOf(req) === undefined) {
      throw ProblemException.validation([{ path: '', message: 'the request body is empty' }], 'The request has no body.');
    }
    if (req.body !== undefined && !Buffer.isBuffer(req.body)) assertSafeJsonContent(req.body);
  }
}

/**
 * Installs the request-input guard on a service: JSON bodies read as text up to `bodyLimit` and
 * parsed safely, XML bodies read as bytes up to the same limit (for `raw` routes; any other route
 * refuses them with 415), the exact bytes of both kept for `rawBodyOf`, then the interceptor above
 * for every route.
 */
export function useRequestInputGuard(app: NestExpressApplication, options: { bodyLimit: string | number }): void {
  // Nest's typing of useBodyParser omits `verify` (it sets its own with `rawBody: true`, for every
  // parser); passing ours keeps raw bytes for exactly the parsers installed here.
  const text = { type: isJsonRequest, limit: options.bodyLimit, defaultCharset: 'utf-8', verify: keepRawBody };
  const raw = { type: isXmlRequest, limit: options.bodyLimit, verify: keepRawBody };
  app.useBodyParser('text', text);
  app.useBodyParser('raw', raw);
  app.use(parseJsonBody);
  app.useGlobalInterceptors(new RequestInputInterceptor(app.get(Reflector)));
}
