import { ApiError, PacerClient } from '../pacer-client';
import { Activity, Scenario, seededRandom, SprintSpec } from './scenario';

export interface SeededSprint {
  sprintId: string;
  teamId: string;
  startDate: string;
  lengthDays: number;
}

export interface SeedReport {
  sprints: SeededSprint[];
  accepted: number;
  duplicates: number;
}

interface BatchResult {
  activityId?: string;
  status: string;
  errors?: unknown;
}

async function tolerate<T>(call: Promise<T>, statuses: readonly number[]): Promise<T | undefined> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof ApiError && statuses.includes(e.status)) return undefined;
    throw e;
  }
}

async function postAll(
  client: PacerClient,
  activities: readonly Activity[],
  batchSize: number,
  pauseMs = 0,
): Promise<{ accepted: number; duplicates: number }> {
  let accepted = 0;
  let duplicates = 0;
  for (let i = 0; i < activities.length; i += batchSize) {
    const res = await client.postActivities<BatchResult[] | { results: BatchResult[] }>(activities.slice(i, i + batchSize));
    const results = Array.isArray(res.body) ? res.body : res.body.results;
    for (const r of results) {
      if (r.status === 'accepted') accepted += 1;
      else if (r.status === 'duplicate') duplicates += 1;
      else throw new Error(`activity ${r.activityId ?? '?'} ${r.status}: ${JSON.stringify(r.errors)}`);
    }
    if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
  }
  return { accepted, duplicates };
}

/** Plans the sprint, or finds it by start date when an earlier seeding planned it; undefined if another overlaps. */
async function planSprint(client: PacerClient, s: SprintSpec, log: (line: string) => void): Promise<string | undefined> {
  const created = await tolerate(client.createSprint(s.teamId, { startDate: s.startDate, lengthDays: s.lengthDays, goal: s.goal }), [409]);
  if (created) return created;
  const list = await client.request<unknown>('sprint-planning', 'GET', `/v1/teams/${s.teamId}/sprints`);
  const items = (Array.isArray(list.body) ? list.body : ((list.body as { items?: unknown[] }).items ?? [])) as {
    sprintId?: string;
    id?: string;
    startDate?: string;
  }[];
  const found = items.find((x) => x.startDate === s.startDate);
  const sprintId = found?.sprintId ?? found?.id;
  // An earlier seeding on another day planned an overlapping sprint; that one stays.
  if (!sprintId) log(`sprint of ${s.teamId} starting ${s.startDate} overlaps an existing one; keeping it`);
  return sprintId;
}

interface BoardCounts {
  status?: string;
  window?: { start: string; end: string };
  reps?: { repId: string; targets?: Record<string, unknown>; actuals?: Record<string, unknown> }[];
}

/**
 * Waits until the KPI service has counted the whole seeded history into the sprint: every committed
 * rep's calls on the board equal the distinct, unvoided calls the scenario gave that rep inside the
 * sprint window. Revisions that merely pause are no proof (the first try closed a sprint with an
 * eighth of its calls). True at once for a sprint that is already closed; false at the deadline.
 */
async function actualsSettled(client: PacerClient, scenario: Scenario, sprintId: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const voided = new Set(scenario.voids);
  const calls = new Map<string, { repId: string; at: number }>();
  for (const a of scenario.activities) {
    if (a.kind === 'call_logged' && !voided.has(a.activityId)) calls.set(a.activityId, { repId: a.repId, at: Date.parse(a.occurredAt) });
  }
  for (;;) {
    const board = (await client.board<BoardCounts>(sprintId)).body;
    if (board.status === 'closed') return true;
    const window = board.window;
    const committed = (board.reps ?? []).filter((r) => Object.keys(r.targets ?? {}).length > 0);
    const counted =
      window !== undefined &&
      committed.every((r) => {
        const [from, to] = [Date.parse(window.start), Date.parse(window.end)];
        const want = [...calls.values()].filter((c) => c.repId === r.repId && c.at >= from && c.at < to).length;
        return r.actuals?.['calls'] === want;
      });
    if (counted) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * Sends a scenario to a running Pacer through its public APIs only, in an order a real organisation
 * might produce: roster and plans first, then history out of order, duplicates, voids, a
 * cancellation, and a membership that arrives after the activities it governs. Re-running it against
 * the same tenant changes nothing (creates that already happened answer 409 and are skipped).
 */
export async function seedScenario(
  client: PacerClient,
  scenario: Scenario,
  options: {
    batchSize?: number;
    log?: (line: string) => void;
    pauseMsBetweenBatches?: number;
    /** How long to wait for a sprint's KPI actuals to count the history before closing it (default 120 s). */
    settleTimeoutMs?: number;
  } = {},
): Promise<SeedReport> {
  const log = options.log ?? (() => undefined);
  const batchSize = options.batchSize ?? 500;
  await client.putSettings(scenario.calendar);
  for (const team of scenario.teams) await tolerate(client.createTeam(team), [409]);
  for (const m of scenario.members.filter((x) => !x.late)) {
    await client.putMember(m.teamId, m.repId, { name: m.name, role: m.role, effectiveFrom: m.effectiveFrom });
  }
  log(`roster: ${scenario.teams.length} teams, ${scenario.members.length} members`);
  for (const plan of scenario.plans) {
    const existing = await client.request('commission', 'GET', `/v1/plans/${plan.planId}`, undefined, { accept: [404] });
    if (existing.status === 404) await client.putPlan(plan.planId, plan.body);
  }
  for (const a of scenario.assignments) await client.assignPlan(a.repId, a.planId, a.effectiveFrom);
  for (const q of scenario.quotas) await client.putQuota(q.repId, q.periodKey, q.amount);
  log(`plans: ${scenario.plans.length}, assignments: ${scenario.assignments.length}, quotas: ${scenario.quotas.length}`);

  // Every sprint is planned (and committed to) before the history arrives, so the KPI service counts
  // the history into each sprint; the closed ones are started and closed once their actuals are in.
  const planned: { spec: SprintSpec; sprintId: string }[] = [];
  for (const s of scenario.sprints) {
    const sprintId = await planSprint(client, s, log);
    if (!sprintId) continue;
    for (const c of s.commitments) {
      await tolerate(client.putCommitment(sprintId, c.repId, { targets: c.targets, items: c.items.map(({ itemId, title }) => ({ itemId, title })) }), [409]);
    }
    planned.push({ spec: s, sprintId });
  }
  const sprints: SeededSprint[] = planned.map(({ spec, sprintId }) => ({ sprintId, teamId: spec.teamId, startDate: spec.startDate, lengthDays: spec.lengthDays }));
  log(`sprints: ${sprints.map((s) => s.sprintId).join(', ')}`);

  const first = await postAll(client, scenario.activities, batchSize, options.pauseMsBetweenBatches);
  const again = await postAll(client, scenario.duplicates, batchSize);
  for (const id of scenario.voids) await tolerate(client.voidActivity(id, 'recorded by mistake'), [409]);
  const cancels = await postAll(client, scenario.cancellations, batchSize);
  for (const m of scenario.members.filter((x) => x.late)) {
    await client.putMember(m.teamId, m.repId, { name: m.name, role: m.role, effectiveFrom: m.effectiveFrom });
  }
  log(`activities: ${first.accepted + cancels.accepted} accepted, ${first.duplicates + again.duplicates + cancels.duplicates} duplicates, ${scenario.voids.length} voided`);

  // In order: a team has one active sprint, and a close carries unfinished items to the next planned one.
  for (const { spec, sprintId } of planned) {
    await tolerate(client.sprintAction(sprintId, 'start'), [409]);
    if (spec.outcome !== 'closed') continue;
    for (const c of spec.commitments) {
      for (const item of c.items.filter((i) => i.done)) {
        await tolerate(client.request('sprint-planning', 'PATCH', `/v1/sprints/${sprintId}/items/${item.itemId}`, { status: 'done' }), [404, 409]);
      }
    }
    const settled = await actualsSettled(client, scenario, sprintId, options.settleTimeoutMs ?? 120_000);
    if (!settled) log(`sprint ${sprintId}: KPI actuals still moving after the wait; closing with what has arrived`);
    await tolerate(client.sprintAction(sprintId, 'close'), [409]);
  }
  log(`sprints closed: ${planned.filter((p) => p.spec.outcome === 'closed').length}, running: ${planned.filter((p) => p.spec.outcome === 'active').length}`);
  return { sprints, accepted: first.accepted + cancels.accepted, duplicates: first.duplicates + again.duplicates + cancels.duplicates };
}

/**
 * Keeps sending fresh activities for the scenario's reps at a gentle rate until `signal` aborts:
 * the live part of the demo, so boards and KPI streams visibly move.
 */
export async function simulateActivity(
  client: PacerClient,
  scenario: Scenario,
  options: { perSecond: number; signal: AbortSignal; onError?: (e: unknown) => void },
): Promise<number> {
  const random = seededRandom(Date.now() % 2 ** 31);
  const reps = scenario.members.filter((m) => m.role !== 'MANAGER').map((m) => m.repId);
  const kinds = ['call_logged', 'call_logged', 'call_logged', 'email_sent', 'email_sent', 'meeting_held', 'lead_created'];
  let sent = 0;
  while (!options.signal.aborted) {
    const repId = reps[Math.floor(random() * reps.length)] as string;
    // Deals are rare and small, so an hour of demo moves quota attainment by points, not by multiples.
    const kind = random() < 0.025 ? 'deal_won' : (kinds[Math.floor(random() * kinds.length)] as string);
    const activityId = `live-${Date.now().toString(36)}-${sent}`;
    const base = { activityId, kind, repId, occurredAt: new Date().toISOString() };
    const extra: Record<string, unknown> =
      kind === 'call_logged'
        ? { outcome: random() < 0.3 ? 'connected' : 'no_answer', durationSec: Math.floor(random() * 600) }
        : kind === 'meeting_held'
          ? { meetingId: `mt-${activityId}` }
          : kind === 'lead_created'
            ? { leadId: `ld-${activityId}`, source: 'web' }
            : kind === 'deal_won'
              ? { dealId: `dw-${activityId}`, opportunityId: `op-${activityId}`, amount: `${(5 + Math.floor(random() * 25)) * 100}.00`, currency: 'USD' }
              : {};
    try {
      await client.postActivities([{ ...base, ...extra }]);
      sent += 1;
    } catch (e) {
      options.onError?.(e);
    }
    await new Promise((r) => setTimeout(r, 1000 / options.perSecond));
  }
  return sent;
}
