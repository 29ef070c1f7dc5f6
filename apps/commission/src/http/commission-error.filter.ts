import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { Request, Response } from 'express';
import { ConcurrencyError } from '@pacer/event-store';
import { problem, PROBLEM_CONTENT_TYPE } from '@pacer/http';
import { CommissionError } from '../commission.error';

/**
 * Commission rule violations leave as the problem documents the global ProblemFilter wrote for the
 * ProblemExceptions they replace: type from the code, then the extensions, then `errors`. A plan
 * command that lost its last race on a stream (EventStore.command retried it already) is a 409.
 */
@Catch(CommissionError, ConcurrencyError)
export class CommissionErrorFilter implements ExceptionFilter {
  catch(exception: CommissionError | ConcurrencyError, host: ArgumentsHost): void {
    const error =
      exception instanceof CommissionError
        ? exception
        : new CommissionError(
            'concurrent-change',
            'The plan or rep was changed concurrently; retry the request.',
          );
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    // A streamed answer (a payroll CSV) that fails midway cannot be turned into a problem any more.
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
}
