import { Decimal } from 'decimal.js';
import { DateTime } from 'luxon';
import { periodContaining, TenantCalendar } from '@pacer/sales-domain';

/** mulberry32: a tiny seeded PRNG, so a scenario is the same on every run and every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Activity = Record<string, unknown> & {
  activityId: string;
  kind: string;
  repId: string;
  occurredAt: string;
};

export interface Member {
  teamId: string;
  repId: string;
  name: string;
  role: 'SDR' | 'AE' | 'AM' | 'CSM' | 'MANAGER';
  /** A tenant-local date; far from every activity except where a test means it. */
  effectiveFrom: string;
  /** Sent only after the activities: a membership that arrives late. */
  late?: boolean;
}

export interface PlanSpec {
  planId: string;
  body: {
    name: string;
    currency: string;
    period: 'quarter';
    tiers: { from: string; rate: string }[];
    tierMode: 'graduated' | 'retroactive';
    cap: string | null;
    spiffs: { id: string; metric: string; threshold: string; amount: string }[];
    clawbackDays: number;
    effectiveFrom: string;
  };
}

export interface SprintSpec {
  teamId: string;
  startDate: string;
  lengthDays: number;
  goal: string;
  /** `closed`: started and closed during seeding, once its KPI actuals have arrived; `active`: the running one. */
  outcome: 'closed' | 'active';
  /** Targets in each metric's own representation: money as decimal strings, counts as numbers. */
  commitments: {
    repId: string;
    targets: Record<string, number | string>;
    /** `done` items are ticked off before the close; the others carry over to the next sprint. */
    items: { itemId: string; title: string; done?: boolean }[];
  }[];
}


export interface Scenario {
  tenantId: string;
  calendar: TenantCalendar;
  teams: { teamId: string; name: string; salesModel: 'island' | 'assembly_line' }[];
  members: Member[];
  plans: PlanSpec[];
  assignments: { repId: string; planId: string; effectiveFrom: string }[];
  quotas: { repId: string; periodKey: string; amount: string }[];
  sprints: SprintSpec[];
  /** In the (shuffled) order they are sent. */
  activities: Activity[];
  /** Re-sent with the same payload: each must come back `duplicate` and change nothing. */
  duplicates: Activity[];
  voids: string[];
  /** deal_cancelled activities, sent after everything else. */
  cancellations: Activity[];
}

const TIERS = [
  { from: '0', rate: '0.05' },
  { from: '1.00', rate: '0.08' },
  { from: '1.50', rate: '0.10' },
];

/**
 * A seeded sales organisation with several weeks of history in a non-UTC zone with a February fiscal
 * year and Sunday weeks. Deal amounts are multiples of 100 and shares are 0.5/0.25/0.2 so every
 * commission is a whole number of cents: the reference does not have to agree with the service on
 * where a rounding happens, only on the maths the SPEC fixes.
 */
export function buildScenario(options: { tenantId: string; now: DateTime; activityCount: number; seed?: number }): Scenario {
  const random = seededRandom(options.seed ?? 20261127);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const calendar: TenantCalendar = { timezone: 'America/New_York', weekStartsOn: 7, fiscalYearStartMonth: 2 };
  const local = options.now.setZone(calendar.timezone);
  const members: Member[] = [
    ...(
      [
        ['h1', 'Ada Lindqvist'],
        ['h2', 'Ben Okafor'],
        ['h3', 'Chloe Martin'],
        ['h4', 'Dev Patel'],
        ['h5', 'Eva Nilsen'],
      ] as const
    ).map(([repId, name]) => ({ teamId: 'hunters', repId, name, role: 'AE' as const, effectiveFrom: '2026-01-01' })),
    { teamId: 'hunters', repId: 'hm', name: 'Hanna Berg', role: 'MANAGER', effectiveFrom: '2026-01-01' },
    { teamId: 'hunters', repId: 'h6', name: 'Finn Hansen', role: 'AE', effectiveFrom: local.minus({ days: 21 }).toISODate()!, late: true },
    { teamId: 'machine', repId: 's1', name: 'Sara Kim', role: 'SDR', effectiveFrom: '2026-01-01' },
    { teamId: 'machine', repId: 's2', name: 'Sam Torres', role: 'SDR', effectiveFrom: '2026-01-01' },
    { teamId: 'machine', repId: 'a1', name: 'Alex Novak', role: 'AE', effectiveFrom: '2026-01-01' },
    { teamId: 'machine', repId: 'a2', name: 'Amara Diallo', role: 'AE', effectiveFrom: '2026-01-01' },
    { teamId: 'machine', repId: 'am1', name: 'Marco Rossi', role: 'AM', effectiveFrom: '2026-01-01' },
    { teamId: 'machine', repId: 'c1', name: 'Clara Jensen', role: 'CSM', effectiveFrom: '2026-01-01' },
    { teamId: 'machine', repId: 'mm', name: 'Mona Larsen', role: 'MANAGER', effectiveFrom: '2026-01-01' },
  ];
  const sellers = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 's1', 's2', 'a1', 'a2', 'am1', 'c1'];
  const closers = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'a1', 'a2'];
  const plan = (planId: string, tierMode: 'graduated' | 'retroactive'): PlanSpec => ({
    planId,
    body: {
      name: `AE ${tierMode}`,
      currency: 'USD',
      period: 'quarter',
      tiers: TIERS,
      tierMode,
      cap: null,
      spiffs: [{ id: 'club', metric: 'quotaAttainment', threshold: '1.00', amount: '1000.00' }],
      clawbackDays: 90,
      effectiveFrom: '2026-01-01',
    },
  });
  const plans = [plan('ae-graduated', 'graduated'), plan('ae-retro', 'retroactive')];
  const assignments = closers.map((repId) => ({
    repId,
    planId: repId.startsWith('h') ? 'ae-graduated' : 'ae-retro',
    effectiveFrom: '2026-01-01',
  }));
  const historyDays = 35;
  const first = local.minus({ days: historyDays });

  // Two closed weekly sprints before the running one, so the report and velocity have history.
  const sprintAt = (daysAgo: number, outcome: SprintSpec['outcome'], goal: string, n: number): SprintSpec => ({
    teamId: 'hunters',
    startDate: local.minus({ days: daysAgo }).toISODate()!,
    lengthDays: 7,
    goal,
    outcome,
    commitments: ['h1', 'h2', 'h3'].map((repId, i) => ({
      repId,
      targets: { calls: 30 + 5 * ((i + n) % 3), meetingsHeld: 3, revenueWon: `${20000 + 5000 * ((i + n) % 2)}.00` },
      items: [
        { itemId: `${repId}-s${n}-follow-up`, title: `Follow up open deals of ${repId}`, done: outcome === 'closed' },
        { itemId: `${repId}-s${n}-referrals`, title: `Ask two customers of ${repId} for referrals`, done: outcome === 'closed' && i === 0 },
      ],
    })),
  });
  const sprints: SprintSpec[] = [
    sprintAt(17, 'closed', 'Fill the pipeline', 1),
    sprintAt(10, 'closed', 'Convert demos into proposals', 2),
    sprintAt(3, 'active', 'Book demos and close the quarter', 3),
  ];

  const activities: Activity[] = [];
  const opportunities: { opportunityId: string; repId: string; at: DateTime }[] = [];
  const spanMs = local.toMillis() - 3_600_000 - first.toMillis();
  for (let i = 0; i < options.activityCount; i += 1) {
    const r = random();
    let at = DateTime.fromMillis(first.toMillis() + Math.floor(random() * spanMs), { zone: calendar.timezone }).startOf('second');
    // Every 50th activity sits within a minute of local midnight, where a UTC-bucketing bug would show.
    if (i % 50 === 0) at = at.startOf('day').plus({ seconds: random() < 0.5 ? -30 : 30 });
    let repId = pick(sellers);
    // h6 is only active after the (late) join, so its team attribution depends on that join arriving.
    if (repId === 'h6' && at < local.minus({ days: 20 })) repId = 'h1';
    const base = { activityId: `act-${i}`, repId, occurredAt: at.toISO({ suppressMilliseconds: true })! };
    if (r < 0.4) {
      activities.push({ ...base, kind: 'call_logged', outcome: pick(['connected', 'voicemail', 'no_answer']), durationSec: Math.floor(random() * 900) });
    } else if (r < 0.58) {
      activities.push({ ...base, kind: 'email_sent' });
    } else if (r < 0.66) {
      activities.push({ ...base, kind: 'meeting_scheduled', meetingId: `m-${i}`, scheduledFor: at.plus({ days: 3 }).toISO({ suppressMilliseconds: true })! });
    } else if (r < 0.72) {
      activities.push({ ...base, kind: 'meeting_held', meetingId: `m-${i}` });
    } else if (r < 0.79) {
      activities.push({ ...base, kind: 'lead_created', leadId: `l-${i}`, source: pick(['web', 'event', 'outbound']) });
    } else if (r < 0.86) {
      const opportunityId = `o-${i}`;
      opportunities.push({ opportunityId, repId, at });
      activities.push({
        ...base,
        kind: 'opportunity_created',
        opportunityId,
        amount: `${(1 + Math.floor(random() * 500)) * 100}.00`,
        currency: 'USD',
        // Expected to close two weeks to three months out, at the first stage's probability.
        expectedCloseDate: at.plus({ days: 14 + Math.floor(random() * 76) }).toISODate()!,
        probability: '0.1',
      });
    } else if (r < 0.9) {
      // An earlier opportunity moves on: a later stage, its probability, sometimes a new date or amount.
      const earlier = opportunities.filter((o) => o.at < at);
      const opp = earlier.length > 0 ? pick(earlier) : undefined;
      const [toStage, probability] = pick(STAGES);
      const change: Activity = { ...base, kind: 'opportunity_stage_changed', opportunityId: opp?.opportunityId ?? `o-${i}`, toStage, probability };
      if (random() < 0.4) change['expectedCloseDate'] = at.plus({ days: 7 + Math.floor(random() * 60) }).toISODate()!;
      if (random() < 0.3) change['amount'] = `${(1 + Math.floor(random() * 500)) * 100}.00`;
      activities.push(change);
    } else if (r < 0.96) {
      const primary = pick(closers);
      const earlier = opportunities.filter((o) => o.at < at);
      const opp = earlier.length > 0 && random() < 0.6 ? pick(earlier) : undefined;
      const deal: Activity = {
        ...base,
        repId: primary,
        kind: 'deal_won',
        dealId: `d-${i}`,
        opportunityId: opp?.opportunityId ?? `o-ext-${i}`,
        amount: `${(10 + Math.floor(random() * 300)) * 100}.00`,
        currency: 'USD',
      };
      if (!opp && random() < 0.5) deal['openedAt'] = at.minus({ days: 5 + Math.floor(random() * 60) }).toISO({ suppressMilliseconds: true })!;
      const split = random();
      if (split < 0.25) {
        const other = pick(sellers.filter((s) => s !== primary));
        const [a, b] = pick([['0.5', '0.5'], ['0.75', '0.25'], ['0.8', '0.2']] as const);
        deal['credits'] = [{ repId: primary, share: a }, { repId: other, share: b }];
      }
      activities.push(deal);
    } else {
      activities.push({ ...base, kind: 'deal_lost', dealId: `dl-${i}`, opportunityId: `o-lost-${i}`, reason: 'budget' });
    }
  }
  // Arrival order is not event-time order: the services must not care.
  for (let i = activities.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [activities[i], activities[j]] = [activities[j] as Activity, activities[i] as Activity];
  }
  const duplicates = Array.from({ length: Math.min(100, activities.length) }, () => pick(activities));
  const voidable = activities.filter((a) => a.kind !== 'opportunity_created');
  const voids = voidable.length === 0 ? [] : [...new Set(Array.from({ length: 15 }, () => pick(voidable).activityId))];
  const wonDeals = activities
    .filter((a) => a.kind === 'deal_won' && !voids.includes(a.activityId))
    .sort((x, y) => String(x.occurredAt).localeCompare(String(y.occurredAt)));
  const cancelled = wonDeals[Math.floor(wonDeals.length / 2)];
  const cancellations: Activity[] = cancelled
    ? [{ activityId: 'cancel-1', kind: 'deal_cancelled', repId: cancelled.repId, occurredAt: local.minus({ hours: 2 }).toISO({ suppressMilliseconds: true })!, dealId: String(cancelled['dealId']), reason: 'refund' }]
    : [];
  // Six ended months of history for two closers whose attainment reads differently over time
  // (SPEC §5 consistency): h1 steady near 90 %, h2 swinging between 150 % and 40 %.
  // The months before the generated history starts, so no random deal blurs the figures.
  const months = Array.from({ length: CONSISTENCY_MONTHS }, (_, k) => first.startOf('month').minus({ months: CONSISTENCY_MONTHS - k }));
  const monthlyQuotas: { repId: string; periodKey: string; amount: string }[] = [];
  months.forEach((month, k) => {
    for (const [repId, attainments] of Object.entries(MONTHLY_ATTAINMENT)) {
      const amount = new Decimal(MONTHLY_QUOTA).times(attainments[k % attainments.length] as number);
      monthlyQuotas.push({ repId, periodKey: month.toFormat('yyyy-MM'), amount: `${MONTHLY_QUOTA}.00` });
      activities.push({
        activityId: `hist-${repId}-${month.toFormat('yyyy-MM')}`,
        kind: 'deal_won',
        repId,
        occurredAt: month.plus({ days: 14, hours: 12 }).toISO({ suppressMilliseconds: true })!,
        dealId: `hist-${repId}-${month.toFormat('yyyy-MM')}`,
        opportunityId: `hist-o-${repId}-${month.toFormat('yyyy-MM')}`,
        amount: amount.toFixed(2),
        currency: 'USD',
      });
    }
  });
  const quotas = [...quotasFor(closers, activities, months[0] ?? first, local, calendar), ...monthlyQuotas];
  return {
    tenantId: options.tenantId,
    calendar,
    teams: [
      { teamId: 'hunters', name: 'Hunters', salesModel: 'island' },
      { teamId: 'machine', name: 'Revenue machine', salesModel: 'assembly_line' },
    ],
    members,
    plans,
    assignments,
    quotas,
    sprints,
    activities,
    duplicates,
    voids,
    cancellations,
  };
}

const STAGES = [
  ['discovery', '0.2'],
  ['proposal', '0.4'],
  ['negotiation', '0.7'],
] as const;

const CONSISTENCY_MONTHS = 6;
const MONTHLY_QUOTA = 20000;
/** Monthly attainment of the two reps the consistency view tells apart. */
const MONTHLY_ATTAINMENT: Record<string, readonly number[]> = {
  h1: [0.9, 0.92, 0.88, 0.91, 0.89, 0.9],
  h2: [1.5, 0.4],
};

// Attainment each closer is aimed at, spread across the plan's tiers (below 100 %, 100-150 %, above).
const AIMED_ATTAINMENT = [0.55, 0.8, 1.05, 1.3, 1.45, 0.7, 0.95, 1.2];

/**
 * Quarterly quotas sized from the closers' credited revenue in the generated history, so attainment
 * lands between about 40 % and 160 % instead of every deal paying at the top tier. A quarter without
 * revenue gets a nominal quota.
 */
function quotasFor(
  closers: readonly string[],
  activities: readonly Activity[],
  first: DateTime,
  local: DateTime,
  calendar: TenantCalendar,
): { repId: string; periodKey: string; amount: string }[] {
  const quarterOf = (instant: string): string => periodContaining('quarter', instant, calendar).key;
  const quarterKeys = new Set<string>();
  for (let d = first; d <= local; d = d.plus({ days: 1 })) quarterKeys.add(quarterOf(d.toISO()!));
  const revenue = new Map<string, Decimal>();
  for (const a of activities) {
    if (a.kind !== 'deal_won') continue;
    const quarter = quarterOf(a.occurredAt);
    const credits = (a['credits'] as { repId: string; share: string }[] | undefined) ?? [{ repId: a.repId, share: '1' }];
    for (const c of credits) {
      const key = `${c.repId}|${quarter}`;
      revenue.set(key, (revenue.get(key) ?? new Decimal(0)).plus(new Decimal(String(a['amount'])).times(c.share)));
    }
  }
  return closers.flatMap((repId, i) =>
    [...quarterKeys].map((periodKey) => {
      const earned = revenue.get(`${repId}|${periodKey}`) ?? new Decimal(0);
      const aimed = earned.dividedBy(AIMED_ATTAINMENT[i % AIMED_ATTAINMENT.length] as number);
      const amount = Decimal.max(5000, aimed.dividedBy(1000).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(1000));
      return { repId, periodKey, amount: amount.toFixed(2) };
    }),
  );
}
