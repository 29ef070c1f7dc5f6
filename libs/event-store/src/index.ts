export * from './aggregate-root';
export * from './concurrency.error';
export * from './event-store';
export * from './retry-policy';
export * from './stream-transaction';
export { CreateEventStore1764230400001 } from './migrations/1764230400001-create-event-store';
