/** An append found the stream at another version than the writer expected: reload and retry, or 409. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';

  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    readonly actualVersion: number,
  ) {
    super(`stream ${streamId} is at version ${actualVersion}, expected ${String(expectedVersion)}`);
  }
}

/** A number is the exact version the stream must be at; 0 means "must not exist yet". */
export type ExpectedVersion = number | 'any';
