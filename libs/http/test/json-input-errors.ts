import { parseJsonInput } from '../src/json-input';
import { ProblemException } from '../src/problem';

/** The `errors` of the problem `parseJsonInput` throws for `text`, or undefined when it parses. */
export function jsonInputErrors(text: string): unknown {
  try {
    parseJsonInput(text);
  } catch (e) {
    if (e instanceof ProblemException) return (e.getResponse() as { errors: unknown }).errors;
    throw e;
  }
  return undefined;
}
