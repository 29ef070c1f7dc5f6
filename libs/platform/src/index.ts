export * from './bootstrap';
export * from './consumers.service';
export * from './kafka-consumer.decorator';
export * from './migrate';
export * from './outbox-relay.service';
export * from './platform-options';
export * from './platform.module';
export * from './tokens';
