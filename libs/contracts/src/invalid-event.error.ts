import type { ContractProblem } from './event-definition';

/** Thrown by `makeEvent` when a producer builds an event that breaks the contract. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';

  constructor(
    readonly eventType: string,
    readonly problems: readonly ContractProblem[],
  ) {
    super(`invalid ${eventType}: ${problems.map((p) => `${p.path || '(root)'} ${p.message}`).join('; ')}`);
  }
}
