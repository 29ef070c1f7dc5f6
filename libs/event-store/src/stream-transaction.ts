import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { OutboxMessage } from '@pacer/messaging';
import { AggregateRoot, DomainEvent } from './aggregate-root';
import type { AppendRequest, AppendResult, EventStore, StoredEvent } from './event-store';

/** What `StreamTransaction.save` writes besides the aggregate's pending events. */
export interface SaveOptions {
  tenantId: string;
  occurredAt: Date | string;
  /** One id per pending event, in order (e.g. ids already announced); new UUIDs by default. */
  eventIds?: readonly string[];
  /** The same metadata on every saved event. */
  metadata?: Record<string, unknown>;
  /** Records to publish if and only if this save commits. */
  outbox?: readonly OutboxMessage[];
}

/**
 * One command's transaction on the event store: lock stream heads, read and load streams, save
 * aggregates at the version they were loaded at. Obtained from `EventStore.command`, which retries
 * the whole command when it loses a race; `manager` is the same transaction, for the caller's own
 * writes (read models, audit) that must commit with the events.
 */
export class StreamTransaction {
  constructor(
    readonly manager: EntityManager,
    private readonly store: EventStore,
  ) {}

  /**
   * Locks a stream head until the transaction ends, so the command decides on the latest state and
   * concurrent commands on the stream queue instead of racing. A stream that does not exist yet has
   * no head to lock: its creation is checked by the append's expected version 0.
   */
  async lock(streamId: string, mode: 'update' | 'share' = 'update'): Promise<void> {
    await this.manager.query(
      `SELECT version FROM streams WHERE stream_id = $1 ${mode === 'update' ? 'FOR UPDATE' : 'FOR SHARE'}`,
      [streamId],
    );
  }

  /** The stream's events after `fromVersion`, in version order, each decoded by `decode`. */
  async read<E>(streamId: string, decode: (e: StoredEvent) => E, fromVersion = 0): Promise<E[]> {
    const stored = await this.store.readStream(streamId, fromVersion, this.manager);
    return stored.map(decode);
  }

  /** Replays the whole stream into `aggregate` (a new instance; an absent stream leaves it at version 0). */
  async load<E extends DomainEvent, A extends AggregateRoot<E>>(
    streamId: string,
    aggregate: A,
    decode: (e: StoredEvent) => E,
  ): Promise<A> {
    return aggregate.loadFromHistory(await this.read(streamId, decode));
  }

  /**
   * Appends the aggregate's pending events at the version it was loaded at (ConcurrencyError if the
   * stream moved since) and returns them as stored; nothing pending writes nothing and returns [].
   */
  async save<E extends DomainEvent>(
    streamId: string,
    streamType: string,
    aggregate: AggregateRoot<E>,
    opts: SaveOptions,
  ): Promise<StoredEvent[]> {
    const pending = aggregate.uncommittedEvents;
    if (pending.length === 0) return [];
    if (opts.eventIds && opts.eventIds.length !== pending.length) {
      throw new Error(`save: ${opts.eventIds.length} event ids for ${pending.length} pending events`);
    }
    const result = await this.append({
      streamId,
      streamType,
      expectedVersion: aggregate.loadedVersion,
      events: pending.map((event, i) => ({
        eventId: opts.eventIds?.[i] ?? randomUUID(),
        type: event.type,
        tenantId: opts.tenantId,
        data: event.data,
        ...(opts.metadata ? { metadata: opts.metadata } : {}),
        occurredAt: opts.occurredAt,
      })),
      ...(opts.outbox ? { outbox: opts.outbox } : {}),
    });
    return result.events;
  }

  /** A raw append in this transaction, for writers without an aggregate. */
  append(request: AppendRequest): Promise<AppendResult> {
    return this.store.appendIn(this.manager, request);
  }
}
