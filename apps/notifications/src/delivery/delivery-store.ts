import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Notification } from '../domain/notification';
import { DueSignal } from './due-signal';
import { AttemptOutcome, backoffMs, BackoffPolicy, BreakerPolicy, BreakerState, nextBreaker } from '../domain/retry-policy';

/** Events recorded longer ago than this are not notified (see enqueue); well inside the retention of finished deliveries. */
export const MAX_EVENT_AGE_DAYS = 3;

/** A delivery the worker has claimed, with what it needs to send it. */
export interface ClaimedDelivery {
  deliveryId: string;
  tenantId: string;
  destinationId: string;
  kind: 'slack' | 'webhook';
  urlSealed: string;
  secretSealed: string | null;
  notification: Notification;
  causedAt: Date;
  attempts: number;
  breakerState: BreakerState;
  consecutiveFailures: number;
}

interface ClaimedRow {
  delivery_id: string;
  tenant_id: string;
  destination_id: string;
  kind: 'slack' | 'webhook';
  url_sealed: string;
  secret_sealed: string | null;
  notification: Notification;
  caused_at: Date;
  attempts: number;
  breaker_state: BreakerState;
  consecutive_failures: number;
}

export interface ClaimLimits {
  batchSize: number;
  perDestination: number;
  claimMs: number;
}

export interface Backlog {
  pending: number;
  oldestPendingSeconds: number;
  openBreakers: number;
}

/**
 * The delivery outbox in Postgres. Consumers only insert (in their batch transaction); the worker
 * claims due rows with a lease, sends, and records the outcome with the destination's breaker in
 * one transaction, so every replica sees the same retries and breaker state.
 */
@Injectable()
export class DeliveryStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Queues a notification for every enabled destination of its tenant that subscribes to its type
   * and, when the destination names teams, concerns one of them. The dedupe key makes a redelivered
   * event (same CloudEvent id) a no-op. Returns how many deliveries were queued.
   */
  async enqueue(manager: EntityManager, n: Notification, dedupeKey: string, causedAt: string): Promise<number> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO deliveries (tenant_id, destination_id, dedupe_key, notification_type, notification, caused_at)
       SELECT tenant_id, destination_id, $3, $4, $5::jsonb, $6
         FROM destinations
        WHERE tenant_id = $1 AND enabled AND $4 = ANY (event_types)
          AND (cardinality(team_ids) = 0 OR team_ids && $2::text[])
          -- Only what happened since the destination exists (a minute's tolerance for clocks), and
          -- nothing recorded over MAX_EVENT_AGE ago: a consumer replaying history (a new deployment,
          -- a reset group) must not flood a channel with last month's deals, and an event that old
          -- may have had its delivery row pruned already, so it could not be deduplicated.
          AND created_at <= $6::timestamptz + interval '1 minute'
          AND $6::timestamptz > now() - interval '${MAX_EVENT_AGE_DAYS} days'
       ON CONFLICT (tenant_id, destination_id, dedupe_key) DO NOTHING
       RETURNING delivery_id`,
      [n.tenantId, n.teams.map((t) => t.id), dedupeKey, n.type, JSON.stringify(n), causedAt],
    );
    if (rows.length > 0) await DueSignal.notify(manager);
    return rows.length;
  }

  /** Queues one notification for one destination regardless of its filters (the "send test" action). */
  async enqueueFor(manager: EntityManager, destinationId: string, n: Notification, dedupeKey: string): Promise<string> {
    const rows: { delivery_id: string }[] = await manager.query(
      `INSERT INTO deliveries (tenant_id, destination_id, dedupe_key, notification_type, notification, caused_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, now())
       RETURNING delivery_id`,
      [n.tenantId, destinationId, dedupeKey, n.type, JSON.stringify(n)],
    );
    await DueSignal.notify(manager);
    return String(rows[0]?.delivery_id);
  }

  /**
   * Claims due deliveries: round-robin over destinations (each destination's oldest first), at most
   * `perDestination` in flight per destination, none for a destination whose breaker is open, and
   * one probe for a breaker whose open window has passed. The UPDATE re-checks the lease under the
   * row lock, so two replicas never claim the same row.
   */
  async claim(limits: ClaimLimits): Promise<ClaimedDelivery[]> {
    return this.dataSource.transaction(async (manager) => {
      // An UPDATE answers [rows, rowCount] through TypeORM's postgres driver.
      const [rows]: [ClaimedRow[], number] = await manager.query(
        `WITH inflight AS (
           SELECT tenant_id, destination_id, count(*)::int AS n
             FROM deliveries
            WHERE status = 'pending' AND claimed_until > now()
            GROUP BY tenant_id, destination_id
         ), due AS (
           SELECT d.delivery_id, t.breaker_state, coalesce(i.n, 0) AS inflight,
                  row_number() OVER (PARTITION BY d.tenant_id, d.destination_id ORDER BY d.next_attempt_at, d.delivery_id) AS rank
             FROM deliveries d
             JOIN destinations t ON t.tenant_id = d.tenant_id AND t.destination_id = d.destination_id
             LEFT JOIN inflight i ON i.tenant_id = d.tenant_id AND i.destination_id = d.destination_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= now()
              AND (d.claimed_until IS NULL OR d.claimed_until <= now())
              AND t.enabled
              AND (t.breaker_state = 'closed' OR t.breaker_open_until <= now())
         ), picked AS (
           SELECT delivery_id FROM due
            WHERE rank <= CASE WHEN breaker_state = 'closed' THEN $1 - inflight ELSE 1 - inflight END
            ORDER BY rank, delivery_id
            LIMIT $2
         )
         UPDATE deliveries d
            SET claimed_until = now() + $3 * interval '1 millisecond', attempts = d.attempts + 1
           FROM picked p, destinations t
          WHERE d.delivery_id = p.delivery_id AND t.tenant_id = d.tenant_id AND t.destination_id = d.destination_id
            AND d.status = 'pending' AND (d.claimed_until IS NULL OR d.claimed_until <= now())
        RETURNING d.delivery_id, d.tenant_id, d.destination_id, t.kind, t.url_sealed, t.secret_sealed,
                  d.notification, d.caused_at, d.attempts, t.breaker_state, t.consecutive_failures`,
        [limits.perDestination, limits.batchSize, limits.claimMs],
      );
      // A probe holds the half-open breaker for the length of its lease, so no second probe starts
      // while the first is still waiting for the receiver.
      const probing = rows.filter((r) => r.breaker_state !== 'closed');
      for (const r of probing) {
        await manager.query(
          `UPDATE destinations SET breaker_state = 'half_open', breaker_open_until = now() + $3 * interval '1 millisecond'
            WHERE tenant_id = $1 AND destination_id = $2 AND breaker_state <> 'closed'`,
          [r.tenant_id, r.destination_id, limits.claimMs],
        );
      }
      return rows.map((r) => ({
        deliveryId: String(r.delivery_id),
        tenantId: r.tenant_id,
        destinationId: r.destination_id,
        kind: r.kind,
        urlSealed: r.url_sealed,
        secretSealed: r.secret_sealed,
        notification: r.notification,
        causedAt: r.caused_at,
        attempts: r.attempts,
        breakerState: r.breaker_state,
        consecutiveFailures: r.consecutive_failures,
      }));
    });
  }

  /**
   * Records an attempt: the delivery is delivered, scheduled again with backoff, or failed (a
   * permanent outcome or the last attempt); the destination's breaker and last success/failure move
   * in the same transaction. Returns whether the delivery was given up.
   */
  async record(
    d: ClaimedDelivery,
    outcome: AttemptOutcome,
    policy: BackoffPolicy & BreakerPolicy & { maxAttempts: number },
  ): Promise<{ gaveUp: boolean }> {
    if (outcome.kind === 'delivered') {
      // The common case, kept off the destination's row lock: one statement, and the destination row
      // is written only when its breaker or failure count must reset or last_success_at is over a
      // second old. Locking it on every success serialised a busy destination's deliveries.
      await this.dataSource.query(
        `WITH delivered AS (
           UPDATE deliveries SET status = 'delivered', delivered_at = now(), claimed_until = NULL, last_status_code = $3, last_error = NULL
            WHERE delivery_id = $1
         )
         UPDATE destinations SET breaker_state = 'closed', consecutive_failures = 0, breaker_open_until = NULL, last_success_at = now()
          WHERE tenant_id = $2 AND destination_id = $4
            AND (breaker_state <> 'closed' OR consecutive_failures <> 0 OR last_success_at IS NULL OR last_success_at < now() - interval '1 second')`,
        [d.deliveryId, d.tenantId, outcome.statusCode, d.destinationId],
      );
      return { gaveUp: false };
    }
    return this.dataSource.transaction(async (manager) => {
      const [current]: { breaker_state: BreakerState; consecutive_failures: number }[] = await manager.query(
        `SELECT breaker_state, consecutive_failures FROM destinations WHERE tenant_id = $1 AND destination_id = $2 FOR UPDATE`,
        [d.tenantId, d.destinationId],
      );
      if (current === undefined) return { gaveUp: false }; // deleted meanwhile; its deliveries went with it
      const gaveUp = outcome.kind === 'permanent' || d.attempts >= policy.maxAttempts;
      await manager.query(
        `UPDATE deliveries
            SET status = $2, claimed_until = NULL, last_error = $3, last_status_code = $4,
                next_attempt_at = now() + $5 * interval '1 millisecond'
          WHERE delivery_id = $1`,
        [d.deliveryId, gaveUp ? 'failed' : 'pending', outcome.error.slice(0, 500), outcome.statusCode ?? null, backoffMs(d.attempts, policy)],
      );
      const breaker = nextBreaker(
        { state: current.breaker_state, consecutiveFailures: current.consecutive_failures },
        outcome,
        policy,
      );
      await manager.query(
        `UPDATE destinations
            SET breaker_state = $3, consecutive_failures = $4,
                breaker_open_until = CASE WHEN $5 THEN now() + $6 * interval '1 millisecond'
                                          WHEN $3 = 'closed' THEN NULL ELSE breaker_open_until END,
                last_failure_at = now(), last_failure = $7
          WHERE tenant_id = $1 AND destination_id = $2`,
        [d.tenantId, d.destinationId, breaker.state, breaker.consecutiveFailures, breaker.opens, policy.breakerOpenMs, outcome.error.slice(0, 500)],
      );
      return { gaveUp };
    });
  }

  /**
   * Deletes delivered and failed deliveries older than `retentionDays`, a bounded batch at a time so
   * a large first run does not hold a long transaction; returns how many went.
   */
  async prune(retentionDays: number, batch = 10_000): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM deliveries WHERE delivery_id IN (
         SELECT delivery_id FROM deliveries
          WHERE status <> 'pending' AND created_at < now() - $1 * interval '1 day'
          LIMIT $2)`,
      [retentionDays, batch],
    );
    return count;
  }

  async backlog(): Promise<Backlog> {
    const [row]: { pending: number; oldest: number | null; open: number }[] = await this.dataSource.query(
      `SELECT (SELECT count(*)::int FROM deliveries WHERE status = 'pending') AS pending,
              (SELECT extract(epoch FROM now() - min(created_at))::float FROM deliveries WHERE status = 'pending') AS oldest,
              (SELECT count(*)::int FROM destinations WHERE breaker_state <> 'closed') AS open`,
    );
    return { pending: row?.pending ?? 0, oldestPendingSeconds: row?.oldest ?? 0, openBreakers: row?.open ?? 0 };
  }
}
