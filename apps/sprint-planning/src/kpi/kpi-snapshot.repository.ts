import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { KpiMetrics, KpiSnapshotData } from '@pacer/contracts';
import { ActualsSnapshot } from '../domain/sprint/sprint-report';

/** Only these snapshots feed boards, burnups and reports; the rest of the KPI stream is skipped. */
export function isUsedSnapshot(data: KpiSnapshotData): boolean {
  const { scope, period } = data;
  return (
    (scope === 'rep' && (period.type === 'sprint' || period.type === 'day')) ||
    (scope === 'team' && period.type === 'sprint')
  );
}

interface SnapshotRow {
  scope_id: string;
  period_key: string;
  revision: number;
  metrics: KpiMetrics;
  as_of: string;
}

export interface SprintActuals {
  reps: Map<string, ActualsSnapshot>;
  team: ActualsSnapshot | undefined;
}

function toActuals(row: SnapshotRow): ActualsSnapshot {
  return { metrics: row.metrics, revision: row.revision, asOf: row.as_of };
}

/**
 * The latest KPI snapshot per key, as the compacted pacer.kpi.v1 changelog delivers them. A snapshot
 * replaces the stored one only with a higher revision, so an older revision arriving late (a
 * redelivery, a re-read of the compacted topic) never rolls the numbers back.
 */
@Injectable()
export class KpiSnapshotRepository {
  async upsert(manager: EntityManager, tenantId: string, data: KpiSnapshotData): Promise<void> {
    await manager.query(
      `INSERT INTO kpi_snapshots (tenant_id, scope, scope_id, period_type, period_key, revision, metrics, period_start, period_end, as_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (tenant_id, scope, scope_id, period_type, period_key) DO UPDATE
         SET revision = EXCLUDED.revision, metrics = EXCLUDED.metrics, period_start = EXCLUDED.period_start,
             period_end = EXCLUDED.period_end, as_of = EXCLUDED.as_of, updated_at = now()
       WHERE kpi_snapshots.revision < EXCLUDED.revision`,
      [
        tenantId,
        data.scope,
        data.scopeId,
        data.period.type,
        data.period.key,
        data.revision,
        JSON.stringify(data.metrics),
        data.period.start,
        data.period.end,
        data.asOf,
      ],
    );
  }

  /** The sprint snapshots of the sprint's reps and of its team. */
  async sprintActuals(
    manager: EntityManager,
    tenantId: string,
    sprintId: string,
    teamId: string,
  ): Promise<SprintActuals> {
    const rows = (await manager.query(
      `SELECT scope, scope_id, period_key, revision, metrics, as_of FROM kpi_snapshots
        WHERE tenant_id = $1 AND period_type = 'sprint' AND period_key = $2
          AND (scope = 'rep' OR (scope = 'team' AND scope_id = $3))`,
      [tenantId, sprintId, teamId],
    )) as (SnapshotRow & { scope: string })[];
    const reps = new Map<string, ActualsSnapshot>();
    let team: ActualsSnapshot | undefined;
    for (const row of rows) {
      if (row.scope === 'team') team = toActuals(row);
      else reps.set(row.scope_id, toActuals(row));
    }
    return { reps, team };
  }

  /** The `day` snapshots of the reps on the dates, keyed `repId` → `date`. */
  async dailyRepMetrics(
    manager: EntityManager,
    tenantId: string,
    repIds: readonly string[],
    dates: readonly string[],
  ): Promise<Map<string, Map<string, KpiMetrics>>> {
    const out = new Map<string, Map<string, KpiMetrics>>();
    if (repIds.length === 0 || dates.length === 0) return out;
    const rows = (await manager.query(
      `SELECT scope_id, period_key, revision, metrics, as_of FROM kpi_snapshots
        WHERE tenant_id = $1 AND scope = 'rep' AND period_type = 'day'
          AND scope_id = ANY($2::text[]) AND period_key = ANY($3::text[])`,
      [tenantId, repIds, dates],
    )) as SnapshotRow[];
    for (const row of rows) {
      let byDate = out.get(row.scope_id);
      if (!byDate) {
        byDate = new Map();
        out.set(row.scope_id, byDate);
      }
      byDate.set(row.period_key, row.metrics);
    }
    return out;
  }
}
