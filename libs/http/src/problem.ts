import { HttpException, HttpStatus } from '@nestjs/common';

/** One invalid field: `path` is a JSON-pointer-like dotted path into the request body or query. */
export interface FieldError {
  path: string;
  message: string;
}

/** An RFC 9457 problem document as Pacer returns it. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Throw from any handler to answer with a problem document. `code` becomes the problem type. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    detail?: string,
    extensions: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(problem(status, code, detail, extensions), status);
  }

  static validation(errors: FieldError[], detail = 'The request is not valid.'): ProblemException {
    return new ProblemException(HttpStatus.BAD_REQUEST, 'validation-failed', detail, { errors });
  }

  static notFound(what: string): ProblemException {
    return new ProblemException(HttpStatus.NOT_FOUND, 'not-found', `${what} was not found.`);
  }

  static conflict(code: string, detail: string, extensions: Record<string, unknown> = {}): ProblemException {
    return new ProblemException(HttpStatus.CONFLICT, code, detail, extensions);
  }
}

/** Builds a problem document; `code` is a short kebab-case identifier clients can switch on. */
export function problem(
  status: number,
  code: string,
  detail?: string,
  extensions: Record<string, unknown> = {},
): ProblemDocument {
  return {
    type: `urn:pacer:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    ...(detail ? { detail } : {}),
    ...extensions,
  };
}
