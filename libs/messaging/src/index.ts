export * from './batch-applier';
export * from './batch-consumer';
export * from './replay-consumer';
export * from './kafka';
export * from './outbox';
export * from './outbox-relay';
export { CreateOutbox1764230400000 } from './migrations/1764230400000-create-outbox';
export { CreateConsumerState1764230400100 } from './migrations/1764230400100-create-consumer-state';
export * from './consumer-progress';
