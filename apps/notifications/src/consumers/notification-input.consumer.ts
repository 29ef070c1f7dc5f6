import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TOPICS } from '@pacer/contracts';
import { BatchContext, ConsumedMessage, ConsumerHandler } from '@pacer/messaging';
import { KafkaConsumer } from '@pacer/platform';
import { parseInstant, sprintWindow } from '@pacer/sales-domain';
import { DeliveryStore } from '../delivery/delivery-store';
import { composeNotification, InboundEvent, notifiableFact } from '../domain/notification-from-event';
import { RosterStore } from '../roster/roster.store';
import { decodeNotificationInput } from './notification-decoder';

type Data = Record<string, unknown>;

function str(data: Data, field: string): string {
  const value = data[field];
  if (typeof value !== 'string') throw new Error(`data.${field} is not a string`);
  return value;
}

/**
 * Turns the topics' events into queued deliveries and keeps the facts the notifications need
 * (roster for names and team filters, sprints, commitments and sprint KPIs for the midpoint check).
 * Everything happens in the batch transaction with the offsets; nothing here talks HTTP, so a dead
 * receiver can never slow the consumer down.
 */
@Injectable()
@KafkaConsumer({
  topics: [TOPICS.activities, TOPICS.roster, TOPICS.sprints, TOPICS.kpi, TOPICS.commissions],
  decode: decodeNotificationInput,
})
export class NotificationInputConsumer implements ConsumerHandler<InboundEvent> {
  constructor(
    private readonly deliveries: DeliveryStore,
    private readonly roster: RosterStore,
  ) {}

  async handle(message: ConsumedMessage<InboundEvent>, ctx: BatchContext): Promise<void> {
    const event = message.event;
    const m = ctx.manager;
    const tenant = event.tenantid;
    const d = event.data;
    switch (event.type) {
      case 'pacer.roster.settings_updated.v1':
        await m.query(
          `INSERT INTO tenant_settings (tenant_id, timezone) VALUES ($1, $2)
           ON CONFLICT (tenant_id) DO UPDATE SET timezone = EXCLUDED.timezone`,
          [tenant, str(d, 'timezone')],
        );
        // Sprint boundaries follow the tenant's current zone (SPEC §4), so unchecked midpoints move.
        await this.placeSprints(m, tenant);
        return;
      case 'pacer.roster.team_created.v1':
      case 'pacer.roster.team_renamed.v1':
        await m.query(
          `INSERT INTO teams (tenant_id, team_id, name) VALUES ($1, $2, $3)
           ON CONFLICT (tenant_id, team_id) DO UPDATE SET name = EXCLUDED.name`,
          [tenant, str(d, 'teamId'), str(d, 'name')],
        );
        return;
      case 'pacer.roster.member_joined.v1':
      case 'pacer.roster.member_role_changed.v1':
      case 'pacer.roster.member_left.v1': {
        const joined = event.type !== 'pacer.roster.member_left.v1';
        await m.query(
          `INSERT INTO membership_facts (tenant_id, event_id, team_id, rep_id, member, at, name)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
          [tenant, event.id, str(d, 'teamId'), str(d, 'repId'), joined, str(d, joined ? 'effectiveFrom' : 'effectiveTo'), joined ? str(d, 'name') : null],
        );
        return;
      }
      case 'pacer.sprint.planned.v1':
        await m.query(
          `INSERT INTO sprints (tenant_id, sprint_id, team_id, start_date, length_days, planned_timezone)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (tenant_id, sprint_id) DO UPDATE
             SET team_id = EXCLUDED.team_id, start_date = EXCLUDED.start_date, length_days = EXCLUDED.length_days,
                 planned_timezone = EXCLUDED.planned_timezone`,
          [tenant, str(d, 'sprintId'), str(d, 'teamId'), str(d, 'startDate'), d['lengthDays'], typeof d['timezone'] === 'string' ? d['timezone'] : null],
        );
        await this.placeSprints(m, tenant, str(d, 'sprintId'));
        return;
      case 'pacer.sprint.started.v1':
      case 'pacer.sprint.closed.v1': {
        const column = event.type === 'pacer.sprint.started.v1' ? 'started' : 'closed';
        await m.query(
          `INSERT INTO sprints (tenant_id, sprint_id, team_id, ${column}) VALUES ($1, $2, $3, true)
           ON CONFLICT (tenant_id, sprint_id) DO UPDATE SET ${column} = true`,
          [tenant, str(d, 'sprintId'), str(d, 'teamId')],
        );
        return;
      }
      case 'pacer.sprint.commitment_set.v1': {
        // targetValues keeps money exact; older events have the numeric targets only.
        const targets = typeof d['targetValues'] === 'object' && d['targetValues'] !== null ? d['targetValues'] : d['targets'];
        await m.query(
          `INSERT INTO commitments (tenant_id, sprint_id, rep_id, targets) VALUES ($1, $2, $3, $4::jsonb)
           ON CONFLICT (tenant_id, sprint_id, rep_id) DO UPDATE SET targets = EXCLUDED.targets`,
          [tenant, str(d, 'sprintId'), str(d, 'repId'), JSON.stringify(targets ?? {})],
        );
        return;
      }
      case 'pacer.kpi.snapshot.v1': {
        const period = d['period'] as Data | undefined;
        if (d['scope'] !== 'rep' || period?.['type'] !== 'sprint') return;
        await m.query(
          `INSERT INTO sprint_actuals (tenant_id, sprint_id, rep_id, metrics, revision) VALUES ($1, $2, $3, $4::jsonb, $5)
           ON CONFLICT (tenant_id, sprint_id, rep_id) DO UPDATE
             SET metrics = EXCLUDED.metrics, revision = EXCLUDED.revision
           WHERE sprint_actuals.revision < EXCLUDED.revision`,
          [tenant, str(period, 'key'), str(d, 'scopeId'), JSON.stringify(d['metrics'] ?? {}), d['revision']],
        );
        return;
      }
      default: {
        const fact = notifiableFact(event);
        if (fact === undefined) return;
        const view = await this.roster.viewAt(m, tenant, fact.repId, fact.at);
        await this.deliveries.enqueue(m, composeNotification(fact, view), event.id, event.recordedtime);
      }
    }
  }

  /** Computes the midpoint and end of the tenant's sprints (or one) not yet checked, in the tenant's zone. */
  private async placeSprints(m: EntityManager, tenantId: string, sprintId?: string): Promise<void> {
    const sprints: { sprint_id: string; start_date: string; length_days: number; timezone: string }[] = await m.query(
      `SELECT s.sprint_id, to_char(s.start_date, 'YYYY-MM-DD') AS start_date, s.length_days,
              coalesce(t.timezone, s.planned_timezone, 'UTC') AS timezone
         FROM sprints s LEFT JOIN tenant_settings t ON t.tenant_id = s.tenant_id
        WHERE s.tenant_id = $1 AND ($2::text IS NULL OR s.sprint_id = $2)
          AND s.start_date IS NOT NULL AND s.midpoint_checked_at IS NULL`,
      [tenantId, sprintId ?? null],
    );
    for (const s of sprints) {
      const window = sprintWindow(s.sprint_id, s.start_date, s.length_days, s.timezone);
      const start = parseInstant(window.start).toMillis();
      const end = parseInstant(window.end).toMillis();
      await m.query(`UPDATE sprints SET midpoint_at = $3, end_at = $4 WHERE tenant_id = $1 AND sprint_id = $2`, [
        tenantId,
        s.sprint_id,
        new Date(start + (end - start) / 2).toISOString(),
        new Date(end).toISOString(),
      ]);
    }
  }
}
