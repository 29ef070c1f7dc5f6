import { CreateOutbox1764230400000 } from '@pacer/event-store';
import { CreateConsumerState1764230400100 } from '@pacer/messaging';
import { MigrationClass } from '@pacer/platform';

/** In order of application. KPIs are derived read models only: no event store, just consume and publish. */
export const MIGRATIONS: MigrationClass[] = [CreateOutbox1764230400000, CreateConsumerState1764230400100];
