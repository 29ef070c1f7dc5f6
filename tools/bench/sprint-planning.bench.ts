// Sprint-planning figures, measured in-process against the real broker and database:
//  - commitmentPutsPerSec: PUT /v1/sprints/{id}/commitments/{repId} over HTTP, 8 in flight, spread
//    over 10 sprints of one team (each an event-sourced append + projection + outbox in one transaction)
//  - itemPatchesPerSec: PATCH item status, 8 in flight
//  - boardReadsPerSec: GET /v1/sprints/{id}/board with 20 reps, KPI actuals and a 7-day burnup
//  - rebuildEventsPerSec: replaying the whole event store into empty read models
import 'reflect-metadata';
import { mintToken } from '@pacer/auth';
import { startTestService, TEST_JWT_SECRET } from '@pacer/testing';
import { SprintPlanningService } from '../../apps/sprint-planning/src/app.module';
import { rebuildReadModels } from '../../apps/sprint-planning/src/projections/rebuild-read-models';
import { SprintPlanningProjection } from '../../apps/sprint-planning/src/projections/sprint-planning.projection';
import { runStandalone } from './standalone';

const REPS = 20;
const SPRINTS = 10;
const PUTS = Number(process.env['BENCH_SPRINT_PUTS'] ?? 1000);
const BOARD_READS = Number(process.env['BENCH_SPRINT_BOARDS'] ?? 200);
const IN_FLIGHT = 8;

async function pool<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await (tasks[i] as () => Promise<T>)();
      }
    }),
  );
  return out;
}

export async function benchSprintPlanning(): Promise<Record<string, number | string>> {
  process.env['TEST_LOG_LEVEL'] ??= 'silent';
  const svc = await startTestService(SprintPlanningService);
  try {
    const token = await mintToken({ secret: TEST_JWT_SECRET, tenantId: 'bench', roles: ['admin'] });
    const call = async (method: string, path: string, body?: unknown): Promise<number> => {
      const res = await fetch(`${svc.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      await res.arrayBuffer();
      if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}`);
      return res.status;
    };
    await call('POST', '/v1/teams', { teamId: 'bench', name: 'Bench', salesModel: 'island' });
    for (let r = 0; r < REPS; r++) {
      await call('PUT', `/v1/teams/bench/members/rep-${r}`, {
        name: `Rep ${r}`,
        role: 'AE',
        effectiveFrom: '2026-01-01',
      });
    }
    const today = Date.now();
    for (let s = 0; s < SPRINTS; s++) {
      const startDate = new Date(today + (s * 7 - 3) * 86_400_000).toISOString().slice(0, 10);
      await call('POST', '/v1/teams/bench/sprints', { sprintId: `sp-${s}`, startDate, lengthDays: 7 });
    }

    const puts = Array.from({ length: PUTS }, (_, i) => () => {
      const rep = i % REPS;
      const sprint = Math.floor(i / REPS) % SPRINTS;
      return call('PUT', `/v1/sprints/sp-${sprint}/commitments/rep-${rep}`, {
        targets: { calls: 50 + (i % 7), meetingsHeld: 5, revenueWon: '10000.00' },
        items: Array.from({ length: 5 }, (__, k) => ({ itemId: `it-${rep}-${k}`, title: `Item ${k}` })),
      });
    });
    let t0 = process.hrtime.bigint();
    await pool(puts, IN_FLIGHT);
    const putSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

    await call('POST', '/v1/sprints/sp-0/start');
    const statuses = ['doing', 'done', 'todo'] as const;
    const patches = Array.from(
      { length: PUTS / 2 },
      (_, i) => () =>
        call('PATCH', `/v1/sprints/sp-${i % SPRINTS}/items/it-${i % REPS}-${i % 5}`, {
          status: statuses[i % 3],
        }),
    );
    t0 = process.hrtime.bigint();
    await pool(patches, IN_FLIGHT);
    const patchSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

    const boards = Array.from({ length: BOARD_READS }, () => () => call('GET', '/v1/sprints/sp-0/board'));
    t0 = process.hrtime.bigint();
    await pool(boards, IN_FLIGHT);
    const boardSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

    t0 = process.hrtime.bigint();
    const { events } = await rebuildReadModels(svc.dataSource, new SprintPlanningProjection());
    const rebuildSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

    return {
      commitmentPutsPerSec: Math.round(PUTS / putSeconds),
      itemPatchesPerSec: Math.round(PUTS / 2 / patchSeconds),
      boardReadsPerSec: Math.round(BOARD_READS / boardSeconds),
      rebuildEventsPerSec: Math.round(events / rebuildSeconds),
      rebuildEvents: events,
    };
  } finally {
    await svc.close();
  }
}

if (require.main === module) {
  runStandalone('sprint-planning', benchSprintPlanning);
}
