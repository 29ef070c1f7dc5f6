import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { sendRuleProblem } from '@pacer/http';
import { SprintPlanningError } from '../domain/sprint-planning.error';

/** Domain rule violations leave as problem documents whose type is the rule's code. */
@Catch(SprintPlanningError)
export class SprintPlanningErrorFilter implements ExceptionFilter {
  catch(error: SprintPlanningError, host: ArgumentsHost): void {
    sendRuleProblem(error, host);
  }
}
