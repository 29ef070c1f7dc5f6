import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line written inside a request or a message's processing carries. */
export type LogFields = Record<string, string | number | boolean | undefined>;

const storage = new AsyncLocalStorage<LogFields>();

/**
 * Runs `fn` with `fields` added to every log line written inside it (and in whatever it awaits),
 * on top of the fields of an enclosing context.
 */
export function withLogContext<T>(fields: LogFields, fn: () => T): T {
  const outer = storage.getStore();
  return storage.run(outer ? { ...outer, ...fields } : fields, fn);
}

/** The fields of the innermost `withLogContext`, if any. */
export function currentLogContext(): Readonly<LogFields> | undefined {
  return storage.getStore();
}

/** Header (HTTP and Kafka) that carries the correlation id from a request to the records it causes. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';
