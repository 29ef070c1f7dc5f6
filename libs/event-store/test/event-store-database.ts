import { CreateOutbox1764230400000 } from '@pacer/messaging';
import { createTestDatabase, TestDatabase } from '@pacer/testing';
import { CreateEventStore1764230400001, EventStore } from '../src';

export interface EventStoreDatabase {
  readonly db: TestDatabase;
  readonly store: EventStore;
}

/**
 * A database of its own for one spec file, with the outbox and event-store migrations, dropped after
 * the file. Read `db` and `store` inside tests and hooks: they exist once the file's beforeAll ran.
 */
export function eventStoreDatabase(name: string): EventStoreDatabase {
  let db: TestDatabase | undefined;
  let store: EventStore | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(name, [CreateOutbox1764230400000, CreateEventStore1764230400001]);
    store = new EventStore(db.dataSource);
  });
  afterAll(() => db?.drop());
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('eventStoreDatabase is read before its beforeAll ran');
    return value;
  };
  return {
    get db() {
      return ready(db);
    },
    get store() {
      return ready(store);
    },
  };
}
