export * from './concurrency.error';
export * from './event-store';
export { CreateEventStore1764230400001 } from './migrations/1764230400001-create-event-store';
