export * from './batch-consumer';
export * from './kafka';
export { CreateConsumerState1764230400100 } from './migrations/1764230400100-create-consumer-state';
export * from './consumer-progress';
