import fc from 'fast-check';
import { KPI_METRICS, PacerEvent } from '@pacer/contracts';
import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { KpiHarness } from '../../test/support/kpi-harness';
import { oracleSnapshots } from '../../test/support/kpi-oracle';

const TENANT = 'prop';
const REPS = ['r1', 'r2', 'r3'];
const TEAMS = ['t1', 't2'];
const BASE = Date.parse('2026-02-27T00:00:00Z');
const SPAN_MIN = 12 * 24 * 60; // through 10 March: a month end and New York's spring-forward
const CALENDARS: [string, number, number][] = [
  ['UTC', 1, 1],
  ['America/New_York', 7, 2],
  ['Europe/Berlin', 1, 11],
  ['Asia/Kolkata', 3, 3],
];
const QUOTA_KEYS = ['2026-02', '2026-03', 'FY2026-Q1', 'FY2027-Q1', 'FY2026', 'FY2027'];

const instant = fc.integer({ min: 0, max: SPAN_MIN }).map((m) => new Date(BASE + m * 60_000).toISOString());
const recorded = fc.integer({ min: 0, max: 500 }).map((s) => new Date(Date.parse('2026-03-20T00:00:00Z') + s * 1000).toISOString());
const rep = fc.constantFrom(...REPS);
const team = fc.constantFrom(...TEAMS);
const money = fc.integer({ min: 1, max: 100_000 }).map((c) => (c / 100).toFixed(2));

type Spec =
  | {
      k: 'activity';
      kind: number;
      rep: string;
      at: string;
      rec: string;
      a: number;
      b: number;
      amount: string;
      credits: number;
      void: boolean;
      voidRec: string;
      /** Forecast fields of an opportunity activity (undefined: not sent). */
      close: number | null;
      prob: string | null;
      newAmount: string | null;
    }
  | { k: 'settings'; cal: number; rec: string }
  | { k: 'member'; how: number; team: string; rep: string; at: string; rec: string }
  | { k: 'sprint'; id: string; team: string; day: number; len: number; rec: string }
  | { k: 'quota'; rep: string; key: string; amount: string; rec: string };

const activitySpec = fc.record({
  k: fc.constant('activity' as const),
  kind: fc.integer({ min: 0, max: 10 }),
  rep,
  at: instant,
  rec: recorded,
  a: fc.integer({ min: 1, max: 4 }),
  b: fc.integer({ min: 0, max: 40 * 24 * 60 }),
  amount: money,
  credits: fc.integer({ min: 0, max: 3 }),
  void: fc.boolean(),
  voidRec: recorded,
  // Close dates across the February/March boundary and New York's spring-forward day.
  close: fc.option(fc.integer({ min: 0, max: 14 }), { nil: null }),
  prob: fc.option(
    fc.constantFrom('0', '1', '0.5', '0.333333', '0.125', '0.000001', '0.999999'),
    { nil: null },
  ),
  newAmount: fc.option(money, { nil: null }),
});
const spec: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 12, arbitrary: activitySpec },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('settings' as const), cal: fc.integer({ min: 0, max: CALENDARS.length - 1 }), rec: recorded }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('member' as const), how: fc.integer({ min: 0, max: 2 }), team, rep, at: instant, rec: recorded }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('sprint' as const),
      id: fc.constantFrom('s1', 's2'),
      team,
      day: fc.integer({ min: 0, max: 10 }),
      len: fc.integer({ min: 1, max: 7 }),
      rec: recorded,
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('quota' as const), rep, key: fc.constantFrom(...QUOTA_KEYS), amount: money, rec: recorded }) },
);

function materialise(specs: readonly Spec[]): PacerEvent[] {
  const b = new KpiEventBuilder(TENANT);
  const out: PacerEvent[] = [];
  specs.forEach((s, i) => {
    const o = { recordedAt: s.rec, activityId: `a${i}` };
    switch (s.k) {
      case 'settings': {
        const [tz, week, fy] = CALENDARS[s.cal] as [string, number, number];
        out.push(b.settings(tz, week, fy, o));
        break;
      }
      case 'member':
        out.push(s.how === 0 ? b.joined(s.team, s.rep, s.at, 'AE', o) : s.how === 1 ? b.left(s.team, s.rep, s.at, o) : b.roleChanged(s.team, s.rep, s.at, 'SDR', o));
        break;
      case 'sprint':
        out.push(b.sprint(s.id, s.team, new Date(BASE + s.day * 86_400_000).toISOString().slice(0, 10), s.len, o));
        break;
      case 'quota':
        out.push(b.quota(s.rep, s.key, s.amount, o));
        break;
      case 'activity': {
        const deal = `d${s.a}`;
        const opp = `o${s.a}`;
        const others = REPS.filter((r) => r !== s.rep);
        const credits =
          s.credits === 0
            ? undefined
            : s.credits === 1
              ? [{ repId: others[0] as string, share: '1' }]
              : s.credits === 2
                ? [
                    { repId: s.rep, share: '0.3333333333' },
                    { repId: others[0] as string, share: '0.6666666667' },
                  ]
                : [
                    { repId: others[1] as string, share: '0.125' },
                    { repId: s.rep, share: '0.875' },
                  ];
        const opened = s.b % 3 === 0 ? undefined : new Date(Date.parse(s.at) - s.b * 60_000).toISOString();
        const forecast = {
          ...(s.close === null ? {} : { expectedCloseDate: new Date(BASE + s.close * 86_400_000).toISOString().slice(0, 10) }),
          ...(s.prob === null ? {} : { probability: s.prob }),
        };
        const event = [
          () => b.call(s.rep, s.at, 'connected', o),
          () => b.call(s.rep, s.at, 'no_answer', o),
          () => b.email(s.rep, s.at, o),
          () => b.meetingScheduled(s.rep, s.at, o),
          () => b.meetingHeld(s.rep, s.at, o),
          () => b.lead(s.rep, s.at, o),
          () => b.opportunity(s.rep, s.at, opp, s.amount, { ...o, ...forecast }),
          () => b.stageChanged(s.rep, s.at, opp, { ...o, ...forecast, ...(s.newAmount === null ? {} : { amount: s.newAmount }) }),
          () => b.dealWon(s.rep, s.at, { dealId: deal, opportunityId: opp, amount: s.amount, ...(opened ? { openedAt: opened } : {}), ...(credits ? { credits } : {}) }, o),
          () => b.dealLost(s.rep, s.at, deal, o),
          () => b.dealCancelled(s.rep, s.at, deal, o),
        ][s.kind]!();
        out.push(event);
        if (s.void) out.push(b.void(event, { recordedAt: s.voidRec }));
        break;
      }
    }
  });
  return out;
}

/** The same events in two orders and batchings, and from scratch, must give the same snapshots. */
describe('order independence of the aggregation core', () => {
  // Forecasts included: stage changes before their opportunity_created, wins closing and cancels
  // reopening opportunities, voids of any of them, close dates moving between periods and teams.
  it('ends with the snapshots a naive recomputation gives, whatever the arrival order, batching and duplicates', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(spec, { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat(), { minLength: 2, maxLength: 2 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        async (specs, seeds, batchA, batchB) => {
          const events = materialise(specs);
          const withDuplicates = [...events, ...events.filter((_, i) => i % 4 === 0)];
          const shuffled = seeds.map((seed) => shuffle(withDuplicates, seed));
          const expected = oracleSnapshots(TENANT, events);

          const runs: KpiHarness[] = [];
          for (const [i, order] of shuffled.entries()) {
            const h = new KpiHarness(TENANT);
            await h.feed(order, i === 0 ? batchA : batchB);
            runs.push(h);
          }
          for (const h of runs) {
            for (const [key, want] of expected) {
              const got = h.topic.get(key);
              expect({ key, metrics: got?.metrics, asOf: got?.asOf }).toEqual({ key, metrics: want.metrics, asOf: want.asOf });
            }
            // Anything else was emptied by a later fact (a roster change, new settings): it must count nothing.
            for (const [key, got] of h.topic) {
              if (expected.has(key)) continue;
              const counted = KPI_METRICS.filter((m) => got.metrics[m] !== 0 && got.metrics[m] !== '0.00' && got.metrics[m] !== null);
              expect({ key, counted }).toEqual({ key, counted: [] });
            }
          }
        },
      ),
      { numRuns: Number(process.env['KPI_PROPERTY_RUNS'] ?? 300) },
    );
  });
});

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed + 1;
  for (let i = out.length - 1; i > 0; i -= 1) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
