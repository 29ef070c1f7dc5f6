import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { PlanBody, TOPICS } from '@pacer/contracts';
import {
  createTestDatabase,
  createTopicNamespace,
  deleteTopicNamespace,
  freePort,
  pollUntil,
  TEST_JWT_SECRET,
  testBrokers,
  TestDatabase,
  testKafka,
  TopicRecorder,
  uniqueName,
} from '@pacer/testing';
import { creditsOfDeal } from '../src/calculation/deal-credits';
import { computeStatement } from '../src/calculation/statement-calculator';
import type { DealFact } from '../src/calculation/statement.types';
import {
  call,
  dealWon,
  deltas,
  ledgerSum,
  PLAN_BODY,
  produce,
  token,
  waitConsumed,
} from './commission-test-kit';

const ROOT = path.resolve(__dirname, '../../..');
const REPS = Array.from({ length: 8 }, (_, i) => `r${i}`);
const DEALS = 4_500;


/** The service as a real process, so SIGKILL stops it wherever it is: mid-batch, mid-commit, mid-publish. */
class CommissionProcess {
  private child?: ChildProcess;
  constructor(
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/commission/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, PORT: String(this.port) },
      stdio: 'ignore',
    });
    await pollUntil(
      async () => (await fetch(`${this.baseUrl}/health/ready`)).status,
      (s) => s === 200,
      { timeoutMs: 90_000, intervalMs: 250, what: 'commission process ready' },
    );
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

// A crash anywhere in a batch changes nothing: the batch, its offsets and its outbox rows commit together.
describe('commission after crashes', () => {
  const tenantId = uniqueName('t-crash');
  const groupId = uniqueName('crash-group');
  let prefix: string;
  let db: TestDatabase;
  let dataSource: DataSource;
  let service: CommissionProcess;
  let producer: Producer;
  let ledger: TopicRecorder;
  const kafka = testKafka();

  beforeAll(async () => {
    prefix = await createTopicNamespace('crash');
    db = await createTestDatabase('commission_crash', []);
    dataSource = db.dataSource;
    service = new CommissionProcess(await freePort(), {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers().join(','),
      KAFKA_GROUP_ID: groupId,
      PACER_JWT_SECRET: TEST_JWT_SECRET,
      PACER_TOPIC_PREFIX: prefix,
      LOG_LEVEL: 'silent',
    });
    producer = kafka.producer();
    await producer.connect();
    ledger = await new TopicRecorder(kafka, [prefix + TOPICS.commissions]).start();
  });

  afterAll(async () => {
    await service?.stop();
    await Promise.all([ledger?.stop(), producer?.disconnect()]);
    await db?.drop();
    if (prefix) await deleteTopicNamespace(prefix);
  });

  it('ends with the same statements and a ledger that sums to them after SIGKILLs mid-stream', async () => {
    await service.start();
    const admin = await token(tenantId, ['admin']);
    expect((await call(service.baseUrl, 'PUT', '/v1/plans/ae', admin, PLAN_BODY)).status).toBe(201);
    for (const [i, rep] of REPS.entries()) {
      await call(service.baseUrl, 'PUT', `/v1/reps/${rep}/plan`, admin, {
        planId: 'ae',
        effectiveFrom: '2026-01-01',
      });
      await call(service.baseUrl, 'PUT', `/v1/reps/${rep}/quotas/FY2026-Q1`, admin, {
        amount: `${(i + 1) * 100_000}.00`,
      });
    }
    // Deals out of time order, some split between two reps.
    const facts = new Map<string, DealFact[]>(REPS.map((r) => [r, []]));
    const events = Array.from({ length: DEALS }, (_, n) => {
      const rep = REPS[n % REPS.length] as string;
      const other = REPS[(n + 3) % REPS.length] as string;
      const occurredAt = new Date(
        Date.parse('2026-01-01T00:00:00Z') + ((n * 7919) % 7_776_000) * 1000,
      ).toISOString();
      const amount = `${1000 + ((n * 37) % 9000)}.${String(n % 100).padStart(2, '0')}`;
      const split = n % 5 === 0;
      const credits = split
        ? [
            { repId: rep, share: '0.5' },
            { repId: other, share: '0.5' },
          ]
        : undefined;
      const event = dealWon(tenantId, {
        repId: rep,
        dealId: `D${n}`,
        amount,
        occurredAt,
        ...(credits ? { credits } : {}),
      });
      for (const c of creditsOfDeal(amount, rep, credits)) {
        facts.get(c.repId)?.push({
          activityId: `won-D${n}`,
          dealId: `D${n}`,
          wonEventId: event.id,
          occurredAt,
          primaryRepId: rep,
          amount,
          share: c.share,
          credit: c.credit,
          currency: 'USD',
        });
      }
      return event;
    });

    const topic = prefix + TOPICS.activities;
    const lines = async () =>
      ((await dataSource.query(`SELECT count(*)::int AS n FROM ledger_lines`)) as { n: number }[])[0]?.n ?? 0;
    let sent = 0;
    const sendSome = async (upTo: number) => {
      while (sent < upTo) {
        const next = Math.min(upTo, sent + 500);
        await produce(producer, topic, events.slice(sent, next));
        sent = next;
      }
    };
    await sendSome(DEALS / 2);
    const before = await lines();
    // Kill as soon as batches are being applied: mid-stream, wherever a batch is. (One kill: the new
    // member waits out the dead one's 30 s session before the group hands it the partitions.)
    await pollUntil(lines, (n) => n > before, {
      timeoutMs: 60_000,
      intervalMs: 20,
      what: 'progress before the kill',
    });
    await service.kill();
    await sendSome((3 * DEALS) / 4);
    await service.start();
    await sendSome(DEALS);
    // The last events again, as a producer retry would send them.
    await produce(producer, topic, events.slice(DEALS - 200));
    await waitConsumed(kafka, dataSource, groupId, [topic, prefix + TOPICS.roster]);

    for (const [i, rep] of REPS.entries()) {
      const expected = computeStatement({
        repId: rep,
        periodKey: 'FY2026-Q1',
        window: { start: '2026-01-01T00:00:00Z', end: '2026-04-01T00:00:00Z', truncated: false },
        plan: { planId: 'ae', version: 1, eventId: 'x', body: PLAN_BODY as PlanBody },
        quota: { amount: `${(i + 1) * 100_000}.00`, eventId: 'q' },
        deals: facts.get(rep) ?? [],
        timezone: 'UTC',
      });
      const statement = await call(service.baseUrl, 'GET', `/v1/reps/${rep}/statements/FY2026-Q1`, admin);
      expect({ rep, total: statement.body.total, credited: statement.body.credited }).toEqual({
        rep,
        total: expected.total,
        credited: expected.credited,
      });
      await pollUntil(
        () => ledgerSum(ledger.records, tenantId, rep, 'FY2026-Q1'),
        (s) => s === expected.total,
        {
          timeoutMs: 30_000,
          what: `ledger of ${rep} summing to ${expected.total}`,
        },
      );
    }
    // However often a record was re-sent, each ledger line is one event with one amount.
    const byLine = new Map<string, Set<string>>();
    for (const e of deltas(ledger.records, tenantId)) {
      const key = `${e.data.repId}|${e.data.periodKey}|${e.data.lineId}`;
      byLine.set(key, (byLine.get(key) ?? new Set()).add(e.id));
    }
    expect([...byLine.values()].filter((ids) => ids.size > 1)).toEqual([]);
    const stored = (await dataSource.query(`SELECT count(*)::int AS n FROM ledger_lines`)) as { n: number }[];
    expect(stored[0]?.n).toBe(byLine.size);
  });
});
