import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { ConcurrencyError } from '@pacer/event-store';
import { sendRuleProblem } from '@pacer/http';
import { CommissionError } from '../commission.error';

/**
 * Commission rule violations leave as the problem documents the global ProblemFilter wrote for the
 * ProblemExceptions they replaced: type from the code, then the extensions, then `errors`. A plan
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
    sendRuleProblem(error, host);
  }
}
