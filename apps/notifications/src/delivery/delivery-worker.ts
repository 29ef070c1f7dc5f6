import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SecretBox } from '@pacer/config';
import {
  Logger,
  notificationBacklog,
  notificationLatency,
  notificationOldestPendingAge,
  notificationOpenBreakers,
  notificationsDelivered,
  notificationsFailed,
} from '@pacer/observability';
import { LOGGER } from '@pacer/platform';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../config/notifications-config';
import { AttemptOutcome } from '../domain/retry-policy';
import { ClaimedDelivery, DeliveryStore } from './delivery-store';
import { DueSignal } from './due-signal';
import { send } from './http-sender';
import { deliveryRequest } from './render';
import { sealContext } from './seal-context';

const BACKLOG_REFRESH_MS = 2_000;
/** Delivered and failed deliveries are kept this long for the status API, then deleted. */
export const DELIVERY_RETENTION_DAYS = 30;
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Drains the delivery outbox. Each poll claims what is due (leases in Postgres, so replicas share
 * the work) and starts sending without waiting for earlier sends: a receiver that hangs until its
 * timeout holds only its own leases, never the loop, so other tenants' deliveries keep flowing.
 * In flight at once: at most `batchSize` per replica and `perDestination` per destination.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly inFlight = new Set<Promise<void>>();
  private loop?: Promise<void>;
  private stopping = false;
  private lastBacklogAt = 0;
  private lastPruneAt = 0;
  private readonly box: SecretBox;
  private wake?: () => void;
  /** A signal that came while the loop was busy: the next sleep returns at once. */
  private woken = false;

  constructor(
    private readonly store: DeliveryStore,
    private readonly due: DueSignal,
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.box = new SecretBox(config.secretsKey);
  }

  onApplicationBootstrap(): void {
    this.due.onDue(() => this.signal());
    void this.due.listen();
    this.loop = this.run();
  }

  /** Stops claiming and waits for the sends in flight to be recorded (an unrecorded one is retried after its lease). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.signal();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    await this.due.close();
  }

  private async run(): Promise<void> {
    const { delivery } = this.config;
    while (!this.stopping) {
      try {
        const room = delivery.batchSize - this.inFlight.size;
        if (room > 0) {
          const claimed = await this.store.claim({ batchSize: room, perDestination: delivery.perDestination, claimMs: delivery.claimMs });
          for (const d of claimed) this.track(this.deliver(d));
        }
        await this.refreshBacklog();
        await this.prune();
      } catch (e) {
        // Postgres away: nothing is lost (the rows wait), try again on the next poll.
        this.logger.warn({ err: e }, 'delivery poll failed');
      }
      await this.sleep(delivery.pollMs);
    }
  }

  /** Until the next poll, or sooner when a queuing transaction commits or a send finishes. */
  private signal(): void {
    if (this.wake) this.wake();
    else this.woken = true;
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    // A finished send frees room (and maybe a destination's in-flight slot): look again at once.
    void p.finally(() => {
      this.inFlight.delete(p);
      this.signal();
    });
  }

  private async deliver(d: ClaimedDelivery): Promise<void> {
    const log = this.logger.child({ deliveryId: d.deliveryId, tenantId: d.tenantId, destinationId: d.destinationId, attempt: d.attempts });
    let outcome: AttemptOutcome;
    try {
      const url = this.box.open(d.urlSealed, sealContext(d.tenantId, d.destinationId, 'url'));
      const secret = d.secretSealed === null ? undefined : this.box.open(d.secretSealed, sealContext(d.tenantId, d.destinationId, 'secret'));
      const request = deliveryRequest({ kind: d.kind, url, secret }, d.notification, d.deliveryId, new Date());
      outcome = await send(request, { allowLoopback: this.config.allowLoopback }, this.config.delivery.timeoutMs);
    } catch (e) {
      // A secret that does not open (wrong key) will not open next time either.
      outcome = { kind: 'permanent', error: e instanceof Error ? e.message : String(e) };
    }
    try {
      const { gaveUp } = await this.store.record(d, outcome, { ...this.config.delivery });
      if (outcome.kind === 'delivered') {
        notificationsDelivered.inc({ kind: d.kind, type: d.notification.type });
        notificationLatency.observe({ kind: d.kind }, Math.max(0, (Date.now() - new Date(d.causedAt).getTime()) / 1000));
        log.debug({ statusCode: outcome.statusCode }, 'notification delivered');
      } else {
        const label = outcome.kind === 'permanent' ? 'permanent' : gaveUp ? 'gave_up' : 'retry';
        notificationsFailed.inc({ kind: d.kind, outcome: label });
        (gaveUp ? log.warn.bind(log) : log.info.bind(log))({ error: outcome.error, statusCode: outcome.statusCode, outcome: label }, 'notification attempt failed');
      }
    } catch (e) {
      // The lease runs out and the delivery is tried again: at least once, never lost.
      log.warn({ err: e }, 'could not record a delivery attempt');
    }
  }

  private async prune(): Promise<void> {
    if (Date.now() - this.lastPruneAt < PRUNE_EVERY_MS) return;
    this.lastPruneAt = Date.now();
    const pruned = await this.store.prune(DELIVERY_RETENTION_DAYS);
    if (pruned > 0) this.logger.info({ pruned, retentionDays: DELIVERY_RETENTION_DAYS }, 'old deliveries deleted');
  }

  private async refreshBacklog(): Promise<void> {
    if (Date.now() - this.lastBacklogAt < BACKLOG_REFRESH_MS) return;
    this.lastBacklogAt = Date.now();
    const backlog = await this.store.backlog();
    notificationBacklog.set(backlog.pending);
    notificationOldestPendingAge.set(backlog.oldestPendingSeconds);
    notificationOpenBreakers.set(backlog.openBreakers);
  }
}
