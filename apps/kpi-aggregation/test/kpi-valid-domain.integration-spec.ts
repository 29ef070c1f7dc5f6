import fc from 'fast-check';
import { Producer } from 'kafkajs';
import { DateTime } from 'luxon';
import { KpiSnapshotData, PacerEvent, TOPICS } from '@pacer/contracts';
import { pollUntil, ReadRecord, RunningService, startTestService, testKafka, TopicRecorder, uniqueName } from '@pacer/testing';
import { KpiAggregationService } from '../src/app.module';
import { KpiEventBuilder } from './support/kpi-event.builder';
import { getJson, inputProducer, produceEvents } from './support/kpi-service.fixture';

/**
 * The whole valid domain of an activity through the real pipeline (activity topic → kpi-aggregation
 * → pacer.kpi.v1 / pacer.dlq.v1): every IANA time zone as the tenant's, occurredAt at both edges of
 * the window ingestion accepts (1970-01-01T00:00:00Z and receipt + 7 days) and around each DST
 * transition of the zone. Every activity must end in a snapshot of its rep or in the DLQ, no
 * consumer may stall, and a control tenant's snapshots must keep arriving throughout.
 */
const RECEIPT = DateTime.utc().startOf('second');
const EPOCH = '1970-01-01T00:00:00Z';
const LATEST = RECEIPT.plus({ days: 7 });
const ZONES = Intl.supportedValuesOf('timeZone');

/** The instants at which the zone's offset changes in the receipt's year, and the local start of each such day. */
function dstInstants(zone: string): string[] {
  const out: string[] = [];
  let day: DateTime = DateTime.fromObject({ year: RECEIPT.year, month: 1, day: 1 }, { zone });
  if (!day.isValid) return out;
  for (let i = 0; i < 366; i++) {
    const next: DateTime = day.plus({ days: 1 });
    if (next.offset !== day.offset) {
      // Find the hour in which the offset changes, then report that instant and the local midnight.
      let at: DateTime = day;
      while (at.offset === day.offset && at < next) at = at.plus({ hours: 1 });
      out.push(at.toUTC().toISO({ suppressMilliseconds: true }) ?? '', next.startOf('day').toUTC().toISO({ suppressMilliseconds: true }) ?? '');
    }
    day = next;
  }
  return out.filter((s) => s !== '' && Date.parse(s) <= LATEST.toMillis());
}

interface Tracker {
  /** tenant → reps that have a rep-scope snapshot counting a call or an email. */
  reps: Map<string, Set<string>>;
  dead: Set<string>;
  seen: number;
}

describe('every valid activity ends in a snapshot or the DLQ, for every zone, edge and DST day (real Kafka and Postgres)', () => {
  let svc: RunningService;
  let recorder: TopicRecorder;
  let producer: Producer;
  const tracker: Tracker = { reps: new Map(), dead: new Set(), seen: 0 };
  const stalls: string[] = [];
  let watching = true;
  let watcher: Promise<void> | undefined;

  /** Folds records seen since the last call into the tracker (the recorder only grows). */
  function track(records: readonly ReadRecord[]): Tracker {
    for (; tracker.seen < records.length; tracker.seen++) {
      const r = records[tracker.seen] as ReadRecord;
      const event = JSON.parse(r.value?.toString() ?? '{}') as { id: string; tenantid: string; data: KpiSnapshotData };
      if (r.topic === svc.topic(TOPICS.dlq)) {
        tracker.dead.add(event.id);
        continue;
      }
      const s = event.data;
      if (s.scope === 'rep' && s.metrics.calls + s.metrics.emails > 0) {
        const set = tracker.reps.get(event.tenantid) ?? new Set<string>();
        set.add(s.scopeId);
        tracker.reps.set(event.tenantid, set);
      }
    }
    return tracker;
  }

  beforeAll(async () => {
    svc = await startTestService(KpiAggregationService, { PACER_CONSUMER_STALL_SECONDS: '20' });
    recorder = await new TopicRecorder(testKafka(), [svc.topic(TOPICS.kpi), svc.topic(TOPICS.dlq)]).start();
    producer = await inputProducer();
    // A stall at any moment of the test, not only at its end, fails it.
    watcher = (async () => {
      while (watching) {
        const res = await getJson<{ stalled?: unknown[] }>(svc.baseUrl, '/health/consumers').catch(() => undefined);
        if (res && res.status !== 200) stalls.push(JSON.stringify(res.body).slice(0, 500));
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
  });

  afterAll(async () => {
    watching = false;
    await watcher;
    await producer?.disconnect();
    await recorder?.stop();
    await svc?.close();
  });

  /** One tenant in `zone`: its settings, then one activity per instant, each by a rep of its own. */
  function tenantEvents(zone: string, weekStartsOn: number, fiscalStart: number, instants: readonly string[]): { tenantId: string; reps: string[]; events: PacerEvent[] } {
    const b = new KpiEventBuilder(uniqueName('domain'));
    const recordedAt = RECEIPT.toISO() ?? '';
    // Ids of their own: builders number alike, and CloudEvent ids are deduplicated across tenants.
    const settings = b.settings(zone, weekStartsOn, fiscalStart, { recordedAt: RECEIPT.minus({ seconds: 1 }).toISO() ?? '' });
    const events: PacerEvent[] = [{ ...settings, id: `${b.tenantId}-settings` }];
    const reps = instants.map((_, i) => `rep-${i}`);
    instants.forEach((at, i) => {
      const rep = reps[i] as string;
      const o = { recordedAt, activityId: `${b.tenantId}-${i}` };
      events.push(i % 2 === 0 ? b.call(rep, at, 'connected', o) : b.email(rep, at, o));
    });
    return { tenantId: b.tenantId, reps, events };
  }

  /** Waits until each activity of each tenant is in a snapshot of its rep or in the DLQ; returns how many went to the DLQ. */
  async function settled(tenants: readonly { tenantId: string; reps: string[]; events: PacerEvent[] }[], timeoutMs: number): Promise<number> {
    const missing = (): string[] => {
      const t = track(recorder.records);
      return tenants.flatMap(({ tenantId, reps, events }) =>
        reps.filter((rep, i) => !t.reps.get(tenantId)?.has(rep) && !t.dead.has((events[i + 1] as PacerEvent).id)).map((rep) => `${tenantId}/${rep}`),
      );
    };
    await pollUntil(missing, (m) => m.length === 0, { timeoutMs, intervalMs: 250, what: 'every activity in a snapshot or the DLQ' });
    return tenants.reduce((n, { reps, events }) => n + reps.filter((_, i) => tracker.dead.has((events[i + 1] as PacerEvent).id)).length, 0);
  }

  it('sweeps every IANA zone: the epoch, receipt + 7 days and the DST transitions of the year', async () => {
    const tenants = ZONES.map((zone, i) =>
      tenantEvents(zone, (i % 7) + 1, (i % 12) + 1, [EPOCH, LATEST.toISO({ suppressMilliseconds: true }) ?? '', ...dstInstants(zone)]),
    );
    const activities = tenants.reduce((n, t) => n + t.reps.length, 0);
    expect(ZONES.length).toBeGreaterThan(300);
    const started = Date.now();
    // Fifty tenants at a time: a burst of all 418 tenant calendars in one batch is a minute of work on
    // a shared 2-core machine, which the stall watcher would rightly call a stall.
    let dead = 0;
    for (let i = 0; i < tenants.length; i += 50) {
      const chunk = tenants.slice(i, i + 50);
      await produceEvents(producer, svc.topicPrefix, chunk.flatMap((t) => t.events));
      dead += await settled(chunk, 60_000);
    }
    process.stdout.write(`${ZONES.length} zones, ${activities} activities: all settled in ${Date.now() - started} ms, ${dead} dead-lettered\n`);
    // The valid domain is placeable everywhere: nothing of it may need the DLQ.
    expect(dead).toBe(0);
  }, 120_000);

  it('holds for random zones, week starts, fiscal years and instants in the window, with another tenant kept flowing', async () => {
    const control = new KpiEventBuilder(uniqueName('control'));
    const instant = fc.oneof(
      fc.constant(EPOCH),
      fc.constant(LATEST.toISO({ suppressMilliseconds: true }) ?? ''),
      fc.integer({ min: 0, max: LATEST.toMillis() }).map((ms) => new Date(ms).toISOString()),
    );
    const tenant = fc.record({
      zone: fc.constantFrom(...ZONES),
      weekStartsOn: fc.integer({ min: 1, max: 7 }),
      fiscalStart: fc.integer({ min: 1, max: 12 }),
      instants: fc.array(instant, { minLength: 1, maxLength: 6 }),
      dst: fc.boolean(),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(tenant, async ({ zone, weekStartsOn, fiscalStart, instants, dst }) => {
        run++;
        const t = tenantEvents(zone, weekStartsOn, fiscalStart, dst ? [...instants, ...dstInstants(zone)] : instants);
        // The control tenant's activity goes out with the generated ones and must be applied too.
        const controlRep = `rep-${run}`;
        const controlCall = control.call(controlRep, RECEIPT.toISO() ?? '', 'connected', { recordedAt: RECEIPT.toISO() ?? '', activityId: `${control.tenantId}-${run}` });
        await produceEvents(producer, svc.topicPrefix, [...t.events, controlCall]);
        const dead = await settled([t, { tenantId: control.tenantId, reps: [controlRep], events: [control.settings('UTC'), controlCall] }], 30_000);
        expect(dead).toBe(0);
      }),
      { numRuns: 15, endOnFailure: true },
    );
    expect(stalls).toEqual([]);
    const health = await getJson<{ stalled: unknown[] }>(svc.baseUrl, '/health/consumers');
    expect([health.status, health.body.stalled]).toEqual([200, []]);
  }, 120_000);
});
