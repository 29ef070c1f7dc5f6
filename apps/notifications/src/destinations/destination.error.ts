import { FieldError } from '@pacer/http';

/** The rules of the destinations API, with the HTTP status each is answered with (mapped at the edge). */
export const DESTINATION_ERRORS = {
  'validation-failed': 400,
  'destination-not-found': 404,
} as const;

export type DestinationErrorCode = keyof typeof DESTINATION_ERRORS;

export class DestinationError extends Error {
  override readonly name = 'DestinationError';

  constructor(
    readonly code: DestinationErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }

  static invalid(path: string, message: string): DestinationError {
    return new DestinationError('validation-failed', 'The request is not valid.', [{ path, message }]);
  }

  static notFound(destinationId: string): DestinationError {
    return new DestinationError('destination-not-found', `Destination ${destinationId} was not found.`);
  }
}
