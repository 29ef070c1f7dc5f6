import { CreateOutbox1764230400000 } from '@pacer/messaging';
import { CreateConsumerState1764230400100 } from '@pacer/messaging';
import { CreateAuditLog1765300000000, MigrationClass } from '@pacer/platform';
import { CreateNotificationTables1765400000000 } from './1765400000000-create-notification-tables';
import { DeliveryRetentionIndexes1765400000001 } from './1765400000001-delivery-retention-indexes';

/**
 * In order of application. The outbox is there for the consumer's dead letters (BatchConsumer
 * publishes them through it); notifications publish nothing else to Kafka.
 */
export const MIGRATIONS: MigrationClass[] = [
  CreateOutbox1764230400000,
  CreateConsumerState1764230400100,
  CreateAuditLog1765300000000,
  CreateNotificationTables1765400000000,
  DeliveryRetentionIndexes1765400000001,
];
