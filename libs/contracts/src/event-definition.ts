import type { Static, TSchema } from '@sinclair/typebox';
import type { TopicName } from './topics';

/** One problem found in an event: a JSON pointer into the checked value and what is wrong there. */
export interface ContractProblem {
  path: string;
  message: string;
}

/**
 * Everything the contract knows about one event type. `schema` is the single source of truth for
 * `data`: the TypeScript type, the runtime validation and the published JSON Schema all come from it.
 * Methods (not function properties) on purpose: their parameter bivariance lets every definition
 * sit in one registry typed with `TSchema`.
 */
export interface EventDefinition<T extends string = string, S extends TSchema = TSchema> {
  readonly type: T;
  readonly topic: TopicName;
  /** One sentence for the AsyncAPI document and the JSON Schema description. */
  readonly summary: string;
  readonly schema: S;
  /** The CloudEvents `subject`: the rep, team, sprint or plan the event is about. */
  subject(data: Static<S>, tenantId: string): string;
  /** The Kafka record key, which decides the partition and so the order consumers see. */
  key(data: Static<S>, tenantId: string): string;
  /** Rules JSON Schema cannot state (sums, orderings, cross-field equality). */
  check?(data: Static<S>, tenantId: string): ContractProblem | undefined;
}

/** Declares an event type; only exists so TypeScript infers `T` and `S` from the literal. */
export function defineEvent<const T extends string, S extends TSchema>(
  definition: EventDefinition<T, S>,
): EventDefinition<T, S> {
  return definition;
}

/** The CloudEvents `dataschema` of a type: the `$id` of its published JSON Schema. */
export function dataschemaOf(type: string): string {
  return `urn:pacer:schema:${type}`;
}
