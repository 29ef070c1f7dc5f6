import type { Response } from 'express';
import { FieldError, problem, PROBLEM_CONTENT_TYPE } from '@pacer/http';

/** Answers with an RFC 9457 problem document, as the services do, so the screens handle one error shape. */
export function sendProblem(res: Response, status: number, code: string, detail: string, errors?: FieldError[]): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res
    .status(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem(status, code, detail, errors ? { errors } : {})));
}
