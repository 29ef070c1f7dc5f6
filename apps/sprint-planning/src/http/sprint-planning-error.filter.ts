import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { Request, Response } from 'express';
import { problem, PROBLEM_CONTENT_TYPE } from '@pacer/http';
import { SprintPlanningError } from '../domain/sprint-planning.error';

/** Domain rule violations leave as problem documents whose type is the rule's code. */
@Catch(SprintPlanningError)
export class SprintPlanningErrorFilter implements ExceptionFilter {
  catch(error: SprintPlanningError, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const doc = problem(error.status, error.code, error.message, {
      ...error.extensions,
      ...(error.errors ? { errors: error.errors } : {}),
    });
    res
      .status(error.status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify({ ...doc, instance: req.originalUrl }));
  }
}
