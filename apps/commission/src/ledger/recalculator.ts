import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { OutboxMessage } from '@pacer/messaging';
import { instantMillis } from '../calculation/deal-order';
import { LedgerBalance, LedgerPosting, planPostings } from '../calculation/ledger-postings';
import { boundedId, lineIdOf } from '../calculation/line-ids';
import { asPriorPeriodAdjustments, bookingPeriod } from '../calculation/prior-period';
import { TimelineWindow, windowAt } from '../calculation/rep-timeline';
import { computeStatement, extendStatement, StatementExtension } from '../calculation/statement-calculator';
import type {
  BreakdownLine,
  ComputedStatement,
  DealException,
  PlanVersion,
  StatementCheckpoint,
} from '../calculation/statement.types';
import { deltaEvent, outboxMessage } from './commission-delta.factory';
import { loadClosedPeriods, lockPeriodStates } from './closed-periods.repository';
import { loadCancellations } from './deal-cancellations.repository';
import {
  DealRow,
  loadDealsAt,
  loadDealsByActivity,
  loadRepDeals,
  loadWindowDeals,
  WindowRef,
  windowsWithOtherRecords,
  withCancellation,
} from './deal-credits.repository';
import { ExceptionRow, replaceExceptions } from './deal-exceptions.repository';
import { insertLedgerRows, LedgerRow, loadBalances } from './ledger-lines.repository';
import { lockReps } from './rep-ledgers.repository';
import { loadRepContexts, RepContext, timelineOf } from './rep-contexts';
import { RepRef, repKey, StatementKey, statementKey } from './sql-rows';
import { StatementLineRow, writeStatementLines } from './statement-lines.repository';
import {
  applyLedgerChanges,
  loadCheckpoints,
  loadStatementRefs,
  repsOfTenant,
  StatementRow,
  StoredCheckpoint,
  StoredStatementRef,
  upsertStatements,
} from './statements.repository';
import { DirtyStatements, TouchedRep, TouchedWin } from './dirty-statements';
import { ledgerLineView } from './ledger-line.view';
import { StatementSummary, statementSummary } from './statement-document';

interface Job {
  ctx: RepContext;
  periodKey: string;
  window?: TimelineWindow;
  stored?: StoredStatementRef;
  deals?: DealRow[];
  /** Set when the period is extended by new deals rather than computed whole. */
  extension?: {
    result: StatementExtension;
    prior: StoredCheckpoint;
    checkpoint: StatementCheckpoint;
    /** Deal lines the ledger cannot hold yet: their deal id has no other record for the rep. */
    unposted: ReadonlySet<string>;
  };
  /** Set when the period is closed: its corrections are booked in this open period instead. */
  bookIn?: TimelineWindow;
  /** The period is closed: it is never written (its corrections go to `bookIn`, if there is one). */
  frozen?: boolean;
}

/** Closed period keys per tenant. */
type ClosedPeriods = ReadonlyMap<string, ReadonlySet<string>>;

// How far past now a rep's plan calendar is cut to find an open period to book corrections in.
const BOOKING_HORIZON_MS = 3 * 366 * 86_400_000;

export interface RecalculationResult {
  statements: number;
  postings: number;
}

const ORPHAN_NOTE =
  "This period no longer exists in the rep's plan calendar (a plan, assignment or tenant calendar change moved its deals): every line is reversed.";

/**
 * Brings the ledger to the facts: for every statement the changes touched, recomputes it from the
 * stored facts (a pure function of them), diffs it against what the ledger holds, stores and
 * publishes the differences as new ledger lines, and stores the statement. Runs inside the caller's
 * transaction (a consumer batch or an API call) with the reps' ledgers locked.
 */
interface Settled {
  ledgerRows: LedgerRow[];
  statementRow: StatementRow | null;
  /** Breakdown rows to write; `replace` says whether they replace the whole breakdown or its tail. */
  lineRows: StatementLineRow[];
  replace: 'whole' | 'tail' | null;
  exceptionRows: ExceptionRow[];
  messages: OutboxMessage[];
}

interface Batch {
  jobs: Job[];
  /** The windows whose exceptions are replaced (whole reps replace all of theirs). */
  windowRefs: WindowRef[];
  /** Deals outside every period of their rep (won before the rep's first plan): no-plan exceptions. */
  unassigned: Map<string, { ctx: RepContext; deals: DealRow[] }>;
  /** Deals at touched instants outside every period, whose exceptions are replaced. */
  outsideDeals: DealRow[];
}

/**
 * Brings the ledger to the facts: for every statement the changes touched, recomputes it from the
 * stored facts (a pure function of them), diffs it against what the ledger holds, stores and
 * publishes the differences as new ledger lines, and stores the statement. Runs inside the caller's
 * transaction (a consumer batch or an API call) with the reps' ledgers locked.
 */
@Injectable()
export class Recalculator {
  async recalculate(
    manager: EntityManager,
    dirty: DirtyStatements,
    publish: (messages: readonly OutboxMessage[]) => Promise<void>,
    now: Date = new Date(),
  ): Promise<RecalculationResult> {
    if (dirty.empty) return { statements: 0, postings: 0 };
    const full = new Map(dirty.reps);
    for (const tenantId of dirty.tenants) {
      for (const repId of await repsOfTenant(manager, tenantId))
        full.set(repKey(tenantId, repId), { tenantId, repId });
    }
    const scoped = [...dirty.instants.entries()].filter(([key]) => !full.has(key)).map(([, v]) => v);
    const fullReps = [...full.values()];
    const allReps: RepRef[] = [...fullReps, ...scoped.map(({ tenantId, repId }) => ({ tenantId, repId }))];
    const listed = new Set(allReps.map((r) => repKey(r.tenantId, r.repId)));
    for (const { tenantId, repId } of dirty.ensured) {
      if (!listed.has(repKey(tenantId, repId))) allReps.push({ tenantId, repId });
      listed.add(repKey(tenantId, repId));
    }
    if (allReps.length === 0) return { statements: 0, postings: 0 };
    await lockReps(manager, allReps);

    const contexts = await loadRepContexts(manager, allReps);
    const tenants = [...new Set(allReps.map((r) => r.tenantId))];
    await lockPeriodStates(manager, tenants, 'shared');
    const closed = await loadClosedPeriods(manager, tenants);
    const wholeReps = await jobsOfWholeReps(manager, fullReps, contexts);
    const touched = await jobsAtInstants(manager, scoped, contexts, closed);
    const jobs = [...wholeReps.jobs, ...touched.jobs];
    jobs.push(...(await bookingJobs(manager, jobs, closed, dirty, contexts, now.getTime())));
    const cancellations = await loadCancellations(
      manager,
      jobs.flatMap((j) =>
        (j.deals ?? []).filter((d) => d.cancelled).map((d) => ({ tenantId: d.tenantId, dealId: d.dealId })),
      ),
    );
    const whole = jobs.filter((j) => j.extension === undefined);
    const extended = jobs.filter((j) => j.extension !== undefined);
    const balances = await loadBalances(manager, whole.map(keyOf));
    const touchedBalances = await loadBalances(
      manager,
      extended.map(keyOf),
      extended.map((j) => {
        const { result, unposted } = j.extension as NonNullable<Job['extension']>;
        return [...result.head, ...result.tail].map((l) => l.lineId).filter((id) => !unposted.has(id));
      }),
    );
    for (const [key, held] of touchedBalances) balances.set(key, held);

    const postedAt = now.toISOString();
    const ledgerRows: LedgerRow[] = [];
    const statementRows: StatementRow[] = [];
    const lineRows: StatementLineRow[] = [];
    const replaceWhole: StatementKey[] = [];
    const replaceTail: StatementKey[] = [];
    const exceptionRows: ExceptionRow[] = [];
    const messages: OutboxMessage[] = [];
    for (const job of jobs) {
      const key = keyOf(job);
      const held =
        balances.get(statementKey(key.tenantId, key.repId, key.periodKey)) ??
        new Map<string, LedgerBalance>();
      const settled = settle(job, held, cancellations, dirty, postedAt);
      ledgerRows.push(...settled.ledgerRows);
      if (settled.statementRow !== null) statementRows.push(settled.statementRow);
      if (settled.replace === 'whole') replaceWhole.push(key);
      if (settled.replace === 'tail') replaceTail.push(key);
      lineRows.push(...settled.lineRows);
      exceptionRows.push(...settled.exceptionRows);
      messages.push(...settled.messages);
    }
    for (const { ctx, deals } of [...wholeReps.unassigned.values(), ...touched.unassigned.values()]) {
      for (const d of deals) {
        if (d.voidedBy === null)
          exceptionRows.push(exceptionRow(ctx.ref, noPlanException(d, noPlanDetail(ctx, d)), null));
      }
    }

    await insertLedgerRows(manager, ledgerRows);
    await upsertStatements(manager, statementRows);
    await applyLedgerChanges(manager, ledgerRows, statementRows);
    await writeStatementLines(manager, replaceWhole, replaceTail, lineRows);
    await replaceExceptions(manager, touched.windowRefs, fullReps, touched.outsideDeals, exceptionRows);
    if (messages.length > 0) await publish(messages);
    return { statements: statementRows.length, postings: ledgerRows.length };
  }
}

/** Whole reps: every period with deals, and every stored statement (a change may have dissolved it). */
async function jobsOfWholeReps(
  manager: EntityManager,
  reps: readonly RepRef[],
  contexts: Map<string, RepContext>,
): Promise<Batch> {
  const batch: Batch = { jobs: [], windowRefs: [], unassigned: new Map(), outsideDeals: [] };
  const allDeals = groupByRep(await loadRepDeals(manager, reps));
  const stored = groupByRep(await loadStatementRefs(manager, reps));
  for (const ref of reps) {
    const key = repKey(ref.tenantId, ref.repId);
    const ctx = contexts.get(key) as RepContext;
    const deals = allDeals.get(key) ?? [];
    const refs = stored.get(key) ?? [];
    let until = 0;
    for (const d of deals) until = Math.max(until, instantMillis(d.occurredAt));
    for (const r of refs) until = Math.max(until, Date.parse(r.windowEnd) - 1);
    const timeline = timelineOf(ctx, until);
    const byKey = new Map<string, Job>();
    const outside: DealRow[] = [];
    for (const deal of deals) {
      const window = windowAt(timeline, instantMillis(deal.occurredAt));
      if (window === undefined) {
        outside.push(deal);
        continue;
      }
      let job = byKey.get(window.key);
      if (job === undefined) byKey.set(window.key, (job = { ctx, periodKey: window.key, window, deals: [] }));
      job.deals?.push(deal);
    }
    for (const r of refs) {
      const job = byKey.get(r.periodKey);
      if (job !== undefined) {
        job.stored = r;
        continue;
      }
      const window = timeline.find((w) => w.key === r.periodKey);
      byKey.set(r.periodKey, {
        ctx,
        periodKey: r.periodKey,
        stored: r,
        deals: [],
        ...(window ? { window } : {}),
      });
    }
    batch.jobs.push(...byKey.values());
    batch.unassigned.set(key, { ctx, deals: outside });
  }
  return batch;
}

/** Reps whose deal facts changed at known instants: only the periods holding those instants. */
async function jobsAtInstants(
  manager: EntityManager,
  scoped: readonly TouchedRep[],
  contexts: Map<string, RepContext>,
  closed: ClosedPeriods,
): Promise<Batch> {
  const batch: Batch = { jobs: [], windowRefs: [], unassigned: new Map(), outsideDeals: [] };
  const outsideAt: { ref: RepRef; ms: number[] }[] = [];
  const candidates: Candidate[] = [];
  for (const touched of scoped) {
    const { tenantId, repId } = touched;
    const ctx = contexts.get(repKey(tenantId, repId)) as RepContext;
    let until = 0;
    for (const at of touched.ms) until = Math.max(until, at);
    const timeline = timelineOf(ctx, until);
    const byKey = new Map<string, Candidate>();
    const outside: number[] = [];
    for (const at of touched.ms) {
      const window = windowAt(timeline, at);
      if (window === undefined) {
        outside.push(at);
        continue;
      }
      let candidate = byKey.get(window.key);
      if (candidate === undefined) {
        byKey.set(
          window.key,
          (candidate = { job: { ctx, periodKey: window.key, window }, wins: [], changed: false }),
        );
      }
      if (touched.changed.has(at)) candidate.changed = true;
    }
    for (const win of touched.wins) {
      const window = windowAt(timeline, win.ms);
      if (window !== undefined) byKey.get(window.key)?.wins.push(win);
    }
    candidates.push(...byKey.values());
    if (outside.length > 0) outsideAt.push({ ref: { tenantId, repId }, ms: outside });
  }
  await tryExtensions(
    manager,
    candidates.filter(
      (c) =>
        !c.changed &&
        c.wins.length > 0 &&
        c.job.window?.version !== null &&
        // A closed period's corrections are booked elsewhere: it is computed whole.
        closed.get(c.job.ctx.ref.tenantId)?.has(c.job.periodKey) !== true,
    ),
  );

  const computed = candidates.filter((c) => c.job.extension === undefined).map((c) => c.job);
  batch.windowRefs = computed.map((j) => windowRefOf(j));
  const windowDeals = await loadWindowDeals(manager, batch.windowRefs);
  computed.forEach((job, i) => (job.deals = windowDeals.get(i) ?? []));
  batch.jobs = candidates.map((c) => c.job);
  // Only the deals at the touched instants: a rep without a plan may have a long history.
  batch.outsideDeals = await loadDealsAt(manager, outsideAt);
  for (const deal of batch.outsideDeals) {
    const key = repKey(deal.tenantId, deal.repId);
    const entry = batch.unassigned.get(key) ?? { ctx: contexts.get(key) as RepContext, deals: [] };
    entry.deals.push(deal);
    batch.unassigned.set(key, entry);
  }
  return batch;
}

interface Candidate {
  job: Job;
  /** The deal credits stored new in this batch in the job's period. */
  wins: TouchedWin[];
  /** Something other than a new win changed in the period. */
  changed: boolean;
}

/**
 * Periods that only received new deals, each after every deal the period had, are extended from
 * their stored checkpoint instead of being computed whole (`extendStatement` gives the same lines):
 * the cost of a deal then does not grow with the size of its statement. Anything else — a stored
 * statement without a checkpoint or for another window, a void, a cancellation, a second record of a
 * deal id, a deal before the last one — leaves the job to be computed whole.
 */
async function tryExtensions(manager: EntityManager, candidates: readonly Candidate[]): Promise<void> {
  if (candidates.length === 0) return;
  const stored = await loadCheckpoints(
    manager,
    candidates.map((c) => keyOf(c.job)),
  );
  const live = candidates.filter((c) => {
    const k = keyOf(c.job);
    const prior = stored.get(statementKey(k.tenantId, k.repId, k.periodKey));
    const window = c.job.window as TimelineWindow;
    return (
      prior?.checkpoint != null &&
      prior.windowStartMs === window.startMs &&
      prior.windowEndMs === window.endMs
    );
  });
  // The rows the fact writer stored are at hand; only wins recorded without them are read.
  const deals = await loadDealsByActivity(
    manager,
    live.flatMap((c) =>
      c.wins
        .filter((w) => w.stored === undefined)
        .map((w) => ({ ...c.job.ctx.ref, activityId: w.activityId })),
    ),
  );
  const byActivity = new Map(deals.map((d) => [statementKey(d.tenantId, d.repId, d.activityId), d]));
  const dealOf = (c: Candidate, w: TouchedWin): DealRow | undefined =>
    w.stored?.deal ?? byActivity.get(statementKey(c.job.ctx.ref.tenantId, c.job.ctx.ref.repId, w.activityId));
  // A win stored with no other record of its deal id for the rep cannot meet one in its window.
  const items = live.flatMap((c, idx) =>
    c.wins.flatMap((w) => {
      if (w.stored !== undefined && !w.stored.otherRecord) return [];
      const deal = dealOf(c, w);
      return deal === undefined
        ? []
        : [{ ...windowRefOf(c.job), dealId: deal.dealId, activityId: w.activityId, idx }];
    }),
  );
  const twice = new Set([...(await windowsWithOtherRecords(manager, items))].map((i) => items[i]?.idx));
  live.forEach((c, idx) => {
    if (twice.has(idx)) return;
    const { tenantId, repId } = c.job.ctx.ref;
    const own = c.wins.map((w) => dealOf(c, w));
    if (own.some((d) => d === undefined || d.voidedBy !== null || d.cancelled || d.held)) return;
    const window = c.job.window as TimelineWindow;
    const prior = stored.get(statementKey(tenantId, repId, c.job.periodKey)) as StoredCheckpoint;
    const checkpoint = JSON.parse(prior.checkpoint as string) as StatementCheckpoint;
    const result = extendStatement(
      {
        repId,
        periodKey: c.job.periodKey,
        window: { start: window.start, end: window.end, truncated: window.truncated },
        plan: window.version as PlanVersion,
        quota: c.job.ctx.quotas.get(c.job.periodKey) ?? null,
        deals: own.map((d) => withCancellation(d as DealRow, undefined)),
        timezone: c.job.ctx.calendar.timezone,
      },
      checkpoint,
    );
    if (result !== undefined)
      c.job.extension = { result, prior, checkpoint, unposted: unpostedLines(c.wins) };
  });
}

/**
 * The deal lines of new wins that no ledger line can be posted against yet: every line of a deal is
 * posted from a record of its deal id for the rep, and these wins are the rep's only record of theirs.
 * Ids that `lineIdOf` hashes, or that look like its hashes, are left to the ledger to answer.
 */
function unpostedLines(wins: readonly TouchedWin[]): Set<string> {
  const out = new Set<string>();
  for (const w of wins) {
    if (w.stored === undefined || w.stored.otherRecord) continue;
    const dealId = w.stored.deal.dealId;
    const lineId = lineIdOf('deal', dealId);
    if (lineId === `deal:${dealId}` && !dealId.startsWith('sha1-')) out.add(lineId);
  }
  return out;
}

/**
 * Closed periods among the jobs get the open period their corrections are booked in; that period is
 * recalculated too (added as a job when it is not one), so its statement exists and takes the lines.
 * `dirty.ensured` periods (a manual adjustment's) are added the same way.
 */
async function bookingJobs(
  manager: EntityManager,
  jobs: Job[],
  closed: ClosedPeriods,
  dirty: DirtyStatements,
  contexts: Map<string, RepContext>,
  nowMs: number,
): Promise<Job[]> {
  const have = new Set(jobs.map((j) => statementKey(j.ctx.ref.tenantId, j.ctx.ref.repId, j.periodKey)));
  const extra: Job[] = [];
  const timelines = new Map<string, TimelineWindow[]>();
  const timeline = (ctx: RepContext): TimelineWindow[] => {
    const key = repKey(ctx.ref.tenantId, ctx.ref.repId);
    let t = timelines.get(key);
    if (t === undefined) timelines.set(key, (t = timelineOf(ctx, nowMs + BOOKING_HORIZON_MS)));
    return t;
  };
  const add = (ctx: RepContext, window: TimelineWindow): void => {
    const key = statementKey(ctx.ref.tenantId, ctx.ref.repId, window.key);
    if (have.has(key)) return;
    have.add(key);
    extra.push({ ctx, periodKey: window.key, window });
  };
  for (const job of jobs) {
    const keys = closed.get(job.ctx.ref.tenantId);
    if (keys === undefined || !keys.has(job.periodKey)) continue;
    const windows = timeline(job.ctx);
    const endMs = job.window?.endMs ?? Date.parse(job.stored?.windowEnd ?? new Date(nowMs).toISOString());
    const target = bookingPeriod(windows, keys, nowMs, endMs);
    job.frozen = true;
    // No open period with a plan to book in (every period ahead closed, or no plan version): the
    // correction waits. Nothing is posted, so the next recalculation that finds one books it all.
    if (target === undefined) continue;
    job.bookIn = target;
    add(job.ctx, target);
  }
  for (const e of dirty.ensured) {
    const ctx = contexts.get(repKey(e.tenantId, e.repId));
    const window = ctx === undefined ? undefined : timeline(ctx).find((w) => w.key === e.periodKey);
    if (ctx !== undefined && window !== undefined) add(ctx, window);
  }
  if (extra.length === 0) return extra;
  const deals = await loadWindowDeals(manager, extra.map(windowRefOf));
  extra.forEach((job, i) => (job.deals = deals.get(i) ?? []));
  // A booking period that is already a job being extended keeps its extension; any other is whole.
  return extra;
}

function keyOf(job: Job): StatementKey {
  return { tenantId: job.ctx.ref.tenantId, repId: job.ctx.ref.repId, periodKey: job.periodKey };
}

function windowRefOf(job: Job): WindowRef {
  const window = job.window as TimelineWindow;
  return {
    tenantId: job.ctx.ref.tenantId,
    repId: job.ctx.ref.repId,
    startMs: window.startMs,
    endMs: window.endMs,
  };
}

/** One statement: computed (or dissolved, or extended), diffed against the ledger, turned into rows and events. */
function settle(
  job: Job,
  held: ReadonlyMap<string, LedgerBalance>,
  cancellations: ReadonlyMap<string, { activityId: string; eventId: string; occurredAt: string }>,
  dirty: DirtyStatements,
  postedAt: string,
): Settled {
  if (job.extension !== undefined) return settleExtension(job, held, postedAt);
  const { tenantId, repId } = job.ctx.ref;
  const settled: Settled = {
    ledgerRows: [],
    statementRow: null,
    lineRows: [],
    replace: null,
    exceptionRows: [],
    messages: [],
  };
  const deals = job.deals ?? [];
  // A deal waiting for approval (or rejected) pays nothing until it is approved.
  const live = deals.filter((d) => d.voidedBy === null && !d.held);
  const voided = new Map(
    deals.filter((d) => d.voidedBy !== null).map((d) => [d.dealId, d.voidedBy as string]),
  );
  const version = job.window?.version ?? null;
  let statement: ComputedStatement | null = null;
  let postings: LedgerPosting[];
  let plan: PlanRef;
  if (job.window !== undefined && version !== null) {
    statement = computeStatement({
      repId,
      periodKey: job.periodKey,
      window: { start: job.window.start, end: job.window.end, truncated: job.window.truncated },
      plan: version,
      quota: job.ctx.quotas.get(job.periodKey) ?? null,
      deals: live.map((d) => withCancellation(d, cancellations.get(repKey(tenantId, d.dealId)))),
      timezone: job.ctx.calendar.timezone,
    });
    plan = { planId: version.planId, planVersion: version.version, currency: version.body.currency };
    postings = planPostings(statement.lines, held, {
      currency: plan.currency,
      voided,
      fallbackSourceIds: [version.eventId],
      leftReason: 'the line is no longer part of this period.',
    });
    for (const e of statement.exceptions)
      settled.exceptionRows.push(exceptionRow(job.ctx.ref, e, job.periodKey));
  } else {
    // No plan version governs the period (any more): its deals are exceptions, its posted lines reversed.
    if (job.window !== undefined) {
      const detail = `Plan ${job.window.planId} has no version in force in ${job.periodKey}.`;
      for (const d of live)
        settled.exceptionRows.push(exceptionRow(job.ctx.ref, noPlanException(d, detail), job.periodKey));
    }
    if (job.stored === undefined && held.size === 0) return settled;
    plan = {
      planId: job.stored?.planId ?? job.window?.planId ?? 'none',
      planVersion: job.stored?.planVersion ?? 1,
      currency: job.stored?.currency ?? [...held.values()][0]?.byCurrency.keys().next().value ?? 'USD',
    };
    postings = planPostings([], held, {
      currency: plan.currency,
      voided,
      fallbackSourceIds: job.window?.assignmentEventId
        ? [job.window.assignmentEventId]
        : dirty.causesOf(tenantId, repId),
      leftReason: 'the period no longer exists in the rep’s plan calendar.',
    });
  }
  if (job.frozen === true && job.bookIn === undefined) return settled;
  if (job.bookIn !== undefined) {
    // A closed statement never changes: what its recalculation would post is booked in an open period.
    const booked = asPriorPeriodAdjustments(
      postings,
      job.periodKey,
      job.bookIn.key,
      dirty.recordedCausesOf(tenantId, repId).map(boundedId),
    );
    post(job, plan, booked, held, statement?.lines ?? [], postedAt, settled, job.bookIn.key);
    return settled;
  }
  post(job, plan, postings, held, statement?.lines ?? [], postedAt, settled);

  const window = job.window ?? {
    startMs: Date.parse(job.stored?.windowStart ?? postedAt),
    endMs: Date.parse(job.stored?.windowEnd ?? postedAt),
    start: job.stored?.windowStart ?? postedAt,
    end: job.stored?.windowEnd ?? postedAt,
    truncated: false,
  };
  const summary = statementSummary({
    repId,
    periodKey: job.periodKey,
    period: { start: window.start, end: window.end, truncated: window.truncated },
    plan: statement !== null ? version : null,
    planRef: plan,
    quota: statement !== null ? (job.ctx.quotas.get(job.periodKey) ?? null) : null,
    statement,
    notes: statement?.notes ?? [ORPHAN_NOTE],
  });
  settled.statementRow = {
    ...keyOf(job),
    windowStartMs: window.startMs,
    windowEndMs: window.endMs,
    planId: plan.planId,
    planVersion: plan.planVersion,
    currency: plan.currency,
    total: statement?.total ?? '0.00',
    summary: JSON.stringify(summary),
    checkpoint: statement?.checkpoint ? JSON.stringify(statement.checkpoint) : null,
  };
  settled.replace = 'whole';
  if (statement !== null) {
    settled.lineRows = [
      ...breakdownRows(job, 0, 0, statement.lines.slice(0, statement.headCount)),
      ...breakdownRows(job, 1, 0, statement.lines.slice(statement.headCount)),
    ];
  }
  return settled;
}

/** A period extended by new deals: only its new head lines and its tail are diffed, stored and posted. */
function settleExtension(job: Job, held: ReadonlyMap<string, LedgerBalance>, postedAt: string): Settled {
  const { result, prior, checkpoint } = job.extension as NonNullable<Job['extension']>;
  const version = (job.window as TimelineWindow).version as PlanVersion;
  const settled: Settled = {
    ledgerRows: [],
    statementRow: null,
    lineRows: [],
    replace: 'tail',
    exceptionRows: [],
    messages: [],
  };
  const plan = { planId: version.planId, planVersion: version.version, currency: version.body.currency };
  const lines = [...result.head, ...result.tail];
  const postings = planPostings(lines, held, {
    currency: plan.currency,
    voided: new Map(),
    fallbackSourceIds: [version.eventId],
    leftReason: 'the line is no longer part of this period.',
  });
  post(job, plan, postings, held, lines, postedAt, settled);
  const summary: StatementSummary = {
    ...(JSON.parse(prior.summary) as StatementSummary),
    credited: result.credited,
    attainment: result.attainment,
    total: result.total,
  };
  settled.statementRow = {
    ...keyOf(job),
    windowStartMs: prior.windowStartMs,
    windowEndMs: prior.windowEndMs,
    ...plan,
    total: result.total,
    summary: JSON.stringify(summary),
    checkpoint: JSON.stringify(result.checkpoint),
  };
  settled.lineRows = [
    ...breakdownRows(job, 0, checkpoint.headCount, result.head),
    ...breakdownRows(job, 1, 0, result.tail),
  ];
  return settled;
}

interface PlanRef {
  planId: string;
  planVersion: number;
  currency: string;
}

/** Turns postings into ledger rows and delta events. */
function post(
  job: Job,
  plan: PlanRef,
  postings: readonly LedgerPosting[],
  held: ReadonlyMap<string, LedgerBalance>,
  lines: readonly BreakdownLine[],
  postedAt: string,
  settled: Settled,
  bookIn?: string,
): void {
  const { tenantId, repId } = job.ctx.ref;
  const periodKey = bookIn ?? job.periodKey;
  const deltaCtx = {
    tenantId,
    repId,
    periodKey,
    planId: plan.planId,
    planVersion: plan.planVersion,
    postedAt,
  };
  const kinds = new Map(lines.map((l) => [l.lineId, l.kind]));
  for (const raw of postings) {
    // Object.assign, not `{ ...raw, sourceEventIds }`: see breakdownRows.
    const p: LedgerPosting = Object.assign({}, raw, { sourceEventIds: raw.sourceEventIds.map(boundedId) });
    const event = deltaEvent(p, deltaCtx);
    settled.messages.push(outboxMessage(event));
    settled.ledgerRows.push({
      tenantId,
      repId,
      periodKey,
      ...(bookIn !== undefined ? { closedPeriodKey: job.periodKey } : {}),
      lineId: p.lineId,
      baseLineId: p.appliesTo,
      baseKind: held.get(p.appliesTo)?.kind ?? kinds.get(p.appliesTo) ?? 'deal',
      eventType: p.type,
      dealId: p.dealId ?? null,
      amount: p.amount,
      currency: p.currency,
      eventId: event.id,
      line: ledgerLineView(p, {
        planId: plan.planId,
        planVersion: plan.planVersion,
        eventId: event.id,
        postedAt,
      }),
    });
  }
}

function breakdownRows(
  job: Job,
  section: 0 | 1,
  from: number,
  lines: readonly BreakdownLine[],
): StatementLineRow[] {
  const { tenantId, repId } = job.ctx.ref;
  const periodKey = job.periodKey;
  // Fields listed, not `{ ...keyOf(job), section, … }`: in Node 20 a literal that starts with a spread
  // and goes on with more properties defines them through the runtime (~1 µs each), and this runs
  // for every breakdown line an extended statement writes.
  return lines.map((line, i) => ({
    tenantId,
    repId,
    periodKey,
    section,
    position: from + i,
    body: JSON.stringify(line),
  }));
}

function noPlanDetail(ctx: RepContext, deal: DealRow): string {
  return ctx.assignments.length === 0
    ? `Rep ${ctx.ref.repId} has no plan assigned; the deal is credited once a plan covering ${deal.occurredAt} is assigned.`
    : `The deal was won before the period of the rep's first plan assignment (${ctx.assignments[0]?.effectiveFrom}).`;
}

function groupByRep<T extends RepRef>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const key = repKey(r.tenantId, r.repId);
    let list = out.get(key);
    if (list === undefined) out.set(key, (list = []));
    list.push(r);
  }
  return out;
}

function noPlanException(deal: DealRow, detail: string): DealException {
  return {
    activityId: deal.activityId,
    dealId: deal.dealId,
    occurredAt: deal.occurredAt,
    reason: 'no_plan',
    detail,
    credit: deal.credit,
    currency: deal.currency,
    wonEventId: deal.wonEventId,
  };
}

function exceptionRow(ref: RepRef, e: DealException, periodKey: string | null): ExceptionRow {
  return {
    tenantId: ref.tenantId,
    repId: ref.repId,
    activityId: e.activityId,
    dealId: e.dealId,
    occurredAt: e.occurredAt,
    periodKey,
    reason: e.reason,
    body: { repId: ref.repId, periodKey, ...e },
  };
}
