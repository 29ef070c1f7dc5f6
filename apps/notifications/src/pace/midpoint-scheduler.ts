import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { DataSource, EntityManager } from 'typeorm';
import { Logger } from '@pacer/observability';
import { LOGGER } from '@pacer/platform';
import { NOTIFICATIONS_CONFIG, NotificationsConfig } from '../config/notifications-config';
import { DeliveryStore } from '../delivery/delivery-store';
import { behindPace, behindPaceNotification } from '../domain/pace';
import { RosterStore } from '../roster/roster.store';

interface DueSprint {
  tenant_id: string;
  sprint_id: string;
  team_id: string;
  midpoint_at: Date;
}

/** Sprints checked per transaction; the rest wait for the next tick. */
const SPRINTS_PER_TICK = 50;

/**
 * The time-driven half of the behind-pace rule. Every tick, in one transaction, it takes the started,
 * unclosed sprints whose midpoint has passed and which nobody checked yet (`FOR UPDATE SKIP LOCKED`,
 * so with several replicas each sprint is taken by exactly one), queues a notification per rep and
 * target behind pace, and marks the sprint checked. The state lives in Postgres: a restart, a crash
 * mid-tick (rolled back, taken again) or a replica that was down at the midpoint changes nothing.
 */
@Injectable()
export class MidpointScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private loop?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly deliveries: DeliveryStore,
    private readonly roster: RosterStore,
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        while (!this.stopping && (await this.tick()) === SPRINTS_PER_TICK) {
          // a full page: more may be due, go on without waiting
        }
      } catch (e) {
        this.logger.warn({ err: e }, 'midpoint check failed; retried on the next tick');
      }
      const until = Date.now() + this.config.scheduler.tickMs;
      while (!this.stopping && Date.now() < until) await delay(Math.min(250, this.config.scheduler.tickMs));
    }
  }

  /** Checks the sprints due now; returns how many it took. */
  async tick(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      // A sprint whose end passed before anyone checked it (the service was down for its whole
      // second half) is past helping: it is marked checked without a notification.
      await m.query(
        `UPDATE sprints SET midpoint_checked_at = now()
          WHERE midpoint_checked_at IS NULL AND started AND NOT closed AND end_at <= now()`,
      );
      const due: DueSprint[] = await m.query(
        `SELECT tenant_id, sprint_id, team_id, midpoint_at FROM sprints
          WHERE midpoint_checked_at IS NULL AND started AND NOT closed AND midpoint_at <= now() AND end_at > now()
          ORDER BY midpoint_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [SPRINTS_PER_TICK],
      );
      for (const sprint of due) {
        const queued = await this.check(m, sprint);
        await m.query(`UPDATE sprints SET midpoint_checked_at = now() WHERE tenant_id = $1 AND sprint_id = $2`, [sprint.tenant_id, sprint.sprint_id]);
        this.logger.info({ tenantId: sprint.tenant_id, sprintId: sprint.sprint_id, queued }, 'sprint midpoint checked');
      }
      return due.length;
    });
  }

  private async check(m: EntityManager, sprint: DueSprint): Promise<number> {
    const reps: { rep_id: string; targets: Record<string, unknown>; metrics: Record<string, unknown> | null }[] = await m.query(
      `SELECT c.rep_id, c.targets, a.metrics
         FROM commitments c
         LEFT JOIN sprint_actuals a ON a.tenant_id = c.tenant_id AND a.sprint_id = c.sprint_id AND a.rep_id = c.rep_id
        WHERE c.tenant_id = $1 AND c.sprint_id = $2
        ORDER BY c.rep_id`,
      [sprint.tenant_id, sprint.sprint_id],
    );
    const teamName = await this.roster.teamName(m, sprint.tenant_id, sprint.team_id);
    const midpointAt = sprint.midpoint_at.toISOString();
    let queued = 0;
    for (const rep of reps) {
      const behind = behindPace(rep.targets, rep.metrics ?? undefined);
      if (behind.length === 0) continue;
      const repName = await this.roster.repName(m, sprint.tenant_id, rep.rep_id);
      for (const item of behind) {
        const n = behindPaceNotification(item, {
          tenantId: sprint.tenant_id,
          sprintId: sprint.sprint_id,
          team: { id: sprint.team_id, ...(teamName ? { name: teamName } : {}) },
          rep: { id: rep.rep_id, ...(repName ? { name: repName } : {}) },
          midpointAt,
        });
        queued += await this.deliveries.enqueue(m, n, `behind_pace:${sprint.sprint_id}:${rep.rep_id}:${item.metric}`, new Date().toISOString());
      }
    }
    return queued;
  }
}
