export * from './concurrency.error';
export * from './event-store';
export * from './outbox';
export * from './outbox-relay';
export { CreateOutbox1764230400000 } from './migrations/1764230400000-create-outbox';
export { CreateEventStore1764230400001 } from './migrations/1764230400001-create-event-store';
