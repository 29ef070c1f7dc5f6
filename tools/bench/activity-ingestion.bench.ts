// Activity ingestion benchmark (issue 3). One run, one broker, one database server:
//  - batchActivitiesPerSec: accepted-and-durable activities/s through POST /v1/activities:batch
//    (1000 per request, 2 requests in flight); a 202 means the activities are committed;
//  - importActivitiesPerSec: the same through one streamed NDJSON POST /v1/activities/import;
//  - copyRowsPerSec: Postgres COPY FROM STDIN of the same activities into one activity table
//    (primary key + jsonb payload), the ceiling for "rows into Postgres" on this machine;
//  - copySameTablesRowsPerSec: COPY of the same activities into the tables the service really
//    writes (stream heads, events with their indexes, outbox with the CloudEvent), i.e. the storage
//    cost of the event-store design without any of the service's work;
//  - importPeakRssMB: peak RSS (VmHWM) of a service process while BENCH_IMPORT_BYTES (default 1 GiB)
//    of NDJSON, generated on the fly, is streamed into it; importRssAt10/50/90PctMB: its RSS when
//    10/50/90% of the bytes had been sent, and importHeapUsedAt…MB the V8 heap in use then (from the
//    service's /metrics), so a flat import reads as three close figures and a leak as a climb.
//    bigImportServiceCpuMsPer1kLines is the service's CPU per 1000 lines (GC included), steadier than
//    lines/s on a shared machine. BENCH_IMPORT_TRACE=1 also prints one line per sample (seconds, MiB
//    sent, RSS, heap) to stderr.
// Env: BENCH_ACTIVITIES (default 100000; 0 skips the throughput figures), BENCH_IMPORT_BYTES (default
// 1073741824; 0 skips the RSS figure), BENCH_SERVICE_NODE_FLAGS (node flags of the measured service,
// e.g. "--max-old-space-size=128"), BENCH_SERVICE_BUILD=1 (measure the compiled build, as in the image).
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Client, Connection, Submittable } from 'pg';
import { mintToken } from '@pacer/auth';
import { activityEventType, ActivityKind, activityKey, deterministicEventId, TOPICS } from '@pacer/contracts';
import { CreateEventStore1764230400001 } from '@pacer/event-store';
import { CreateOutbox1764230400000 } from '@pacer/messaging';
import {
  createTestDatabase,
  createTopicNamespace,
  deleteTopicNamespace,
  freePort,
  pollUntil,
  startTestService,
  TEST_JWT_SECRET,
  testBrokers,
} from '@pacer/testing';
import { ActivityIngestionService } from '../../apps/activity-ingestion/src/app.module';
import { MIGRATIONS } from '../../apps/activity-ingestion/src/migrations';
import { cpuSeconds, statusKb } from './proc';
import { serviceBuild } from './service-build';
import { runStandalone } from './standalone';

const ACTIVITIES = Number(process.env['BENCH_ACTIVITIES'] ?? 100_000);
const IMPORT_BYTES = Number(process.env['BENCH_IMPORT_BYTES'] ?? 1024 * 1024 * 1024);
/** Extra node flags for the measured service process (e.g. `--max-old-space-size=128`, `--trace-gc`). */
const BATCH_SIZE = 1000;
const BATCHES_IN_FLIGHT = 2;
const ROOT = path.resolve(__dirname, '../..');

// A realistic mix: mostly calls and emails, a few deals with split credits.
const MIX: [ActivityKind, number][] = [
  ['call_logged', 40],
  ['email_sent', 25],
  ['meeting_scheduled', 10],
  ['meeting_held', 5],
  ['lead_created', 5],
  ['opportunity_created', 5],
  ['opportunity_stage_changed', 4],
  ['deal_won', 3],
  ['deal_lost', 2],
  ['deal_cancelled', 1],
];
const KIND_OF: ActivityKind[] = MIX.flatMap(([kind, weight]) => Array.from({ length: weight }, () => kind));

/** Activity number `i` of a run; `tag` keeps the ids of the phases apart. */
function activity(i: number, tag: string): Record<string, unknown> {
  const kind = KIND_OF[i % KIND_OF.length] as ActivityKind;
  const day = String(1 + (i % 28)).padStart(2, '0');
  const base = {
    activityId: `${tag}-${i}`,
    kind,
    repId: `rep-${i % 200}`,
    occurredAt: `2026-11-${day}T09:${String(i % 60).padStart(2, '0')}:00Z`,
  };
  switch (kind) {
    case 'call_logged':
      return { ...base, outcome: i % 3 === 0 ? 'connected' : 'voicemail', durationSec: i % 900 };
    case 'meeting_scheduled':
      return { ...base, meetingId: `m-${i}`, scheduledFor: `2026-12-${day}T15:00:00+01:00` };
    case 'meeting_held':
      return { ...base, meetingId: `m-${i}` };
    case 'lead_created':
      return { ...base, leadId: `l-${i}`, source: 'webinar' };
    case 'opportunity_created':
      return { ...base, opportunityId: `o-${i}`, amount: `${1000 + (i % 50_000)}.00`, currency: 'USD' };
    case 'opportunity_stage_changed':
      return { ...base, opportunityId: `o-${i}`, toStage: 'negotiation' };
    case 'deal_won':
      return {
        ...base,
        dealId: `d-${i}`,
        opportunityId: `o-${i}`,
        amount: `${5000 + (i % 90_000)}.50`,
        currency: 'EUR',
        credits: [
          { repId: `rep-${i % 200}`, share: '0.6' },
          { repId: `rep-${(i + 1) % 200}`, share: '0.4' },
        ],
      };
    case 'deal_lost':
      return { ...base, dealId: `d-${i}`, opportunityId: `o-${i}`, reason: 'budget' };
    case 'deal_cancelled':
      return { ...base, dealId: `d-${i}`, reason: 'churn' };
    default:
      return base;
  }
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** NDJSON lines `from..to` as a stream of ~64 KiB chunks (never the whole body in memory). */
function ndjsonBody(tag: string, count: number): Readable {
  return Readable.from(
    (function* () {
      let lines: string[] = [];
      let bytes = 0;
      for (let i = 0; i < count; i++) {
        const line = JSON.stringify(activity(i, tag));
        lines.push(line);
        bytes += line.length + 1;
        if (bytes >= 64 * 1024) {
          yield `${lines.join('\n')}\n`;
          lines = [];
          bytes = 0;
        }
      }
      if (lines.length > 0) yield `${lines.join('\n')}\n`;
    })(),
  );
}

/** NDJSON until `totalBytes` have been produced; returns the stream and counters of lines and bytes. */
function sizedNdjsonBody(
  tag: string,
  totalBytes: number,
): { body: Readable; lines: () => number; bytes: () => number } {
  let produced = 0;
  let count = 0;
  const body = Readable.from(
    (function* () {
      while (produced < totalBytes) {
        const lines: string[] = [];
        let bytes = 0;
        while (bytes < 64 * 1024 && produced + bytes < totalBytes) {
          const line = JSON.stringify(activity(count++, tag));
          lines.push(line);
          bytes += line.length + 1;
        }
        produced += bytes;
        yield `${lines.join('\n')}\n`;
      }
    })(),
  );
  return { body, lines: () => count, bytes: () => produced };
}

function post(
  url: string,
  token: string,
  contentType: string,
  body: Readable | string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (typeof body === 'string') req.end(body);
    else body.pipe(req);
  });
}

interface CopyConnection extends Connection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

/**
 * `COPY … FROM STDIN` over the pg client's submittable protocol (no pg-copy-streams): the client hands
 * this object the connection, it sends the statement, streams the data with backpressure on the
 * socket, and settles when the server is ready for the next query.
 */
class CopyFromStdin implements Submittable {
  readonly done: Promise<void>;
  private settle!: { resolve: () => void; reject: (e: Error) => void };
  private failed?: Error;

  constructor(
    private readonly statement: string,
    private readonly source: AsyncIterable<string | Buffer>,
  ) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: Connection): void {
    connection.query(this.statement);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    void (async () => {
      try {
        for await (const chunk of this.source) {
          connection.sendCopyFromChunk(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
          if (connection.stream.writableNeedDrain) await once(connection.stream, 'drain');
        }
        connection.endCopyFrom();
      } catch (e) {
        connection.sendCopyFail(e instanceof Error ? e.message : String(e));
      }
    })();
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    if (this.failed) this.settle.reject(this.failed);
    else this.settle.resolve();
  }

  handleError(error: Error): void {
    this.failed = error;
  }
}

async function copy(client: Client, statement: string, rows: AsyncIterable<string>): Promise<void> {
  const submittable = new CopyFromStdin(statement, rows);
  void client.query(submittable);
  await submittable.done;
}

/** A COPY text-format field: backslash, tab, newline and carriage return escaped. */
function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

async function* copyChunks(count: number, row: (i: number) => string): AsyncGenerator<string> {
  let buf: string[] = [];
  for (let i = 0; i < count; i++) {
    buf.push(row(i));
    if (buf.length === 1000) {
      yield buf.join('');
      buf = [];
    }
  }
  if (buf.length > 0) yield buf.join('');
}

/** COPY of the activities into one table: primary key (tenant, id) and the payload as jsonb. */
async function copyOneTable(url: string, tag: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE bench_copy_activities (
      tenant_id text NOT NULL, activity_id text NOT NULL, rep_id text NOT NULL, kind text NOT NULL,
      occurred_at timestamptz NOT NULL, data jsonb NOT NULL, PRIMARY KEY (tenant_id, activity_id))`);
    const t = process.hrtime.bigint();
    await copy(
      client,
      'COPY bench_copy_activities (tenant_id, activity_id, rep_id, kind, occurred_at, data) FROM STDIN',
      copyChunks(ACTIVITIES, (i) => {
        const a = activity(i, tag);
        return `bench\t${copyField(String(a['activityId']))}\t${copyField(String(a['repId']))}\t${String(a['kind'])}\t${String(a['occurredAt'])}\t${copyField(JSON.stringify(a))}\n`;
      }),
    );
    return ACTIVITIES / seconds(t);
  } finally {
    await client.end();
  }
}

/**
 * COPY of the same activities into the service's own tables (stream heads, events with the
 * service's indexes, outbox with a CloudEvent per activity), one transaction: what the storage
 * design costs with no validation, HTTP or idempotency work at all.
 */
async function copySameTables(tag: string): Promise<number> {
  const db = await createTestDatabase('bench_copy_same', [
    CreateOutbox1764230400000,
    CreateEventStore1764230400001,
  ]);
  await db.dataSource.destroy();
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    // The service's own migrations (indexes on events) on top of the event store's.
    const service = await createTestDatabase('bench_schema_probe', MIGRATIONS);
    const indexes = (await service.dataSource.query(
      `SELECT indexdef FROM pg_indexes WHERE tablename = 'events' AND indexname LIKE 'activity_%'`,
    )) as { indexdef: string }[];
    await service.drop();
    for (const { indexdef } of indexes) await client.query(indexdef);
    const recorded = new Date().toISOString();
    const event = (i: number) => {
      const a = activity(i, tag);
      const id = deterministicEventId('bench', 'activity', String(a['activityId']), 'accepted');
      const type = activityEventType(a['kind'] as ActivityKind);
      return {
        a,
        id,
        type,
        ce: JSON.stringify({
          specversion: '1.0',
          id,
          source: '/pacer/activity-ingestion',
          type,
          time: a['occurredAt'],
          subject: a['repId'],
          datacontenttype: 'application/json',
          dataschema: `urn:pacer:schema:${type}`,
          tenantid: 'bench',
          recordedtime: recorded,
          data: a,
        }),
      };
    };
    const t = process.hrtime.bigint();
    await client.query('BEGIN');
    await copy(
      client,
      'COPY streams (stream_id, stream_type, version) FROM STDIN',
      copyChunks(ACTIVITIES, (i) => `activity:bench:${copyField(`${tag}-${i}`)}\tactivity\t1\n`),
    );
    await copy(
      client,
      'COPY events (stream_id, stream_type, version, event_id, type, tenant_id, data, occurred_at) FROM STDIN',
      copyChunks(ACTIVITIES, (i) => {
        const e = event(i);
        return `activity:bench:${copyField(String(e.a['activityId']))}\tactivity\t1\t${e.id}\t${e.type}\tbench\t${copyField(JSON.stringify(e.a))}\t${String(e.a['occurredAt'])}\n`;
      }),
    );
    await copy(
      client,
      'COPY outbox (topic, key, value) FROM STDIN',
      copyChunks(ACTIVITIES, (i) => {
        const e = event(i);
        return `${TOPICS.activities}\t${copyField(activityKey('bench', String(e.a['repId'])))}\t\\\\x${Buffer.from(e.ce).toString('hex')}\n`;
      }),
    );
    await client.query('COMMIT');
    return ACTIVITIES / seconds(t);
  } finally {
    await client.end();
    await db.drop();
  }
}

async function drainOutbox(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await pollUntil(
      async () =>
        (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]?.n ?? -1,
      (n) => n === 0,
      { timeoutMs: 600_000, intervalMs: 250, what: 'outbox drained' },
    );
  } finally {
    await client.end();
  }
}


/** The service's V8 heap in use (prom-client's default gauge), in bytes; undefined when unreadable. */
async function heapUsedBytes(base: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${base}/metrics`)).text();
    const m = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)$/m.exec(text);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

interface MemorySample {
  sentBytes: number;
  rssKb: number;
  heapBytes?: number;
}

/**
 * Samples a process's RSS (and, more slowly, its heap) while a body is being sent, against how many
 * bytes had been sent, so the import's memory can be read along the file and not only at its peak.
 */
function memorySampler(pid: number, base: string, sent: () => number, total: number) {
  const samples: MemorySample[] = [];
  const t0 = process.hrtime.bigint();
  let peakKb = 0;
  let heapBusy = false;
  let tick = 0;
  const timer = setInterval(() => {
    const sample: MemorySample = { sentBytes: sent(), rssKb: statusKb(pid, 'VmRSS') ?? 0 };
    peakKb = Math.max(peakKb, sample.rssKb);
    samples.push(sample);
    // The heap costs the service a /metrics render: every 4th tick, never two at once.
    if (tick++ % 4 === 0 && !heapBusy) {
      heapBusy = true;
      void heapUsedBytes(base).then((h) => {
        sample.heapBytes = h;
        heapBusy = false;
        if (process.env['BENCH_IMPORT_TRACE'])
          process.stderr.write(
            `import t=${seconds(t0).toFixed(0)}s sent=${(sample.sentBytes / 2 ** 20).toFixed(0)}MiB rss=${Math.round(sample.rssKb / 1024)}MB heap=${h === undefined ? '?' : Math.round(h / 2 ** 20)}MB\n`,
          );
      });
    }
  }, 250);
  return {
    stop: () => clearInterval(timer),
    peakKb: () => peakKb,
    /** RSS and heap (MB) of the first samples at or past `fraction` of the bytes sent. */
    at(fraction: number): { rssMB: number; heapMB?: number } {
      const from = samples.findIndex((s) => s.sentBytes >= fraction * total);
      if (from === -1) return { rssMB: 0 };
      const rss = (samples[from] as MemorySample).rssKb;
      const heap = samples.slice(from).find((s) => s.heapBytes !== undefined)?.heapBytes;
      return {
        rssMB: Math.round(rss / 1024),
        heapMB: heap === undefined ? undefined : Math.round(heap / 2 ** 20),
      };
    },
  };
}

/** A service process of its own, so its RSS is the service's and nothing else's. */
async function bigImport(): Promise<Record<string, number | string>> {
  const db = await createTestDatabase('bench_rss', []);
  await db.dataSource.destroy();
  const prefix = await createTopicNamespace('bench-rss');
  const port = await freePort();
  const build = serviceBuild(['activity-ingestion']);
  const child: ChildProcess = spawn(process.execPath, build.entry('activity-ingestion'), {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers().join(','),
      KAFKA_GROUP_ID: `bench-rss-${port}`,
      PACER_TOPIC_PREFIX: prefix,
      PACER_JWT_SECRET: TEST_JWT_SECRET,
      PACER_OUTBOX_BATCH_SIZE: '2000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', process.env['BENCH_SERVICE_STDOUT'] ? 'inherit' : 'ignore', 'inherit'],
  });
  const pid = child.pid as number;
  try {
    const base = `http://127.0.0.1:${port}`;
    await pollUntil(
      () => fetch(`${base}/health/ready`).then((r) => r.status),
      (s) => s === 200,
      { timeoutMs: 120_000, intervalMs: 250, what: 'service ready' },
    );
    const baselineKb = statusKb(pid, 'VmRSS') ?? 0;
    const token = await mintToken({ secret: TEST_JWT_SECRET, tenantId: 'bench-rss', roles: ['ingest'] });
    const { body, lines, bytes } = sizedNdjsonBody('rss', IMPORT_BYTES);
    const sampler = memorySampler(pid, base, bytes, IMPORT_BYTES);
    const cpuBefore = cpuSeconds(pid) ?? 0;
    const t = process.hrtime.bigint();
    const res = await post(`${base}/v1/activities/import`, token, 'application/x-ndjson', body);
    const took = seconds(t);
    const cpu = (cpuSeconds(pid) ?? 0) - cpuBefore;
    sampler.stop();
    const summary = JSON.parse(res.text) as { accepted?: number; rejectedCount?: number };
    if (res.status !== 202 || summary.accepted !== lines()) {
      throw new Error(`1 GB import: HTTP ${res.status}, ${res.text.slice(0, 300)}`);
    }
    return {
      serviceRunAs: build.label,
      importBytes: IMPORT_BYTES,
      importLines: lines(),
      bigImportActivitiesPerSec: Math.round(lines() / took),
      bigImportMBPerSec: +(IMPORT_BYTES / 2 ** 20 / took).toFixed(1),
      bigImportSeconds: +took.toFixed(1),
      bigImportServiceCpuMsPer1kLines: Math.round((cpu * 1e6) / lines()),
      serviceIdleRssMB: Math.round(baselineKb / 1024),
      importPeakRssMB: Math.round(Math.max(statusKb(pid, 'VmHWM') ?? 0, sampler.peakKb(), baselineKb) / 1024),
      ...Object.fromEntries(
        [10, 50, 90].flatMap((pct) => {
          const { rssMB, heapMB } = sampler.at(pct / 100);
          return [
            [`importRssAt${pct}PctMB`, rssMB],
            ...(heapMB === undefined ? [] : [[`importHeapUsedAt${pct}PctMB`, heapMB]]),
          ];
        }),
      ),
    };
  } finally {
    child.kill('SIGTERM');
    await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 30_000).unref())]);
    if (child.exitCode === null) child.kill('SIGKILL');
    build.cleanup();
    await db.drop();
    await deleteTopicNamespace(prefix);
  }
}

/** Runs every figure; returns them flat, with units in the key names. */
export async function benchActivityIngestion(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
    activities: ACTIVITIES,
  };
  if (ACTIVITIES > 0) Object.assign(figures, await throughput());
  if (IMPORT_BYTES > 0) Object.assign(figures, await bigImport());
  return figures;
}

async function throughput(): Promise<Record<string, number>> {
  const svc = await startTestService(ActivityIngestionService, {
    PACER_OUTBOX_BATCH_SIZE: '2000',
    PACER_HTTP_BODY_LIMIT: '4mb',
  });
  try {
    const token = await mintToken({ secret: TEST_JWT_SECRET, tenantId: 'bench', roles: ['ingest'] });

    // Batch endpoint: BATCH_SIZE per request, a few requests in flight, until every response is in.
    let next = 0;
    let accepted = 0;
    let t = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: BATCHES_IN_FLIGHT }, async () => {
        for (;;) {
          const from = next;
          next += BATCH_SIZE;
          if (from >= ACTIVITIES) return;
          const items = Array.from({ length: Math.min(BATCH_SIZE, ACTIVITIES - from) }, (_, k) =>
            activity(from + k, 'batch'),
          );
          const res = await post(
            `${svc.baseUrl}/v1/activities:batch`,
            token,
            'application/json',
            JSON.stringify(items),
          );
          if (res.status !== 202) throw new Error(`batch: HTTP ${res.status} ${res.text.slice(0, 300)}`);
          accepted += (JSON.parse(res.text) as { accepted: number }).accepted;
        }
      }),
    );
    const batchRate = accepted / seconds(t);
    if (accepted !== ACTIVITIES) throw new Error(`batch accepted ${accepted} of ${ACTIVITIES}`);
    await drainOutbox(svc.db.url);

    // Import endpoint: one streamed NDJSON body.
    t = process.hrtime.bigint();
    const res = await post(
      `${svc.baseUrl}/v1/activities/import`,
      token,
      'application/x-ndjson',
      ndjsonBody('import', ACTIVITIES),
    );
    const importRate = ACTIVITIES / seconds(t);
    const summary = JSON.parse(res.text) as { accepted: number };
    if (res.status !== 202 || summary.accepted !== ACTIVITIES)
      throw new Error(`import: HTTP ${res.status} ${res.text.slice(0, 300)}`);
    await drainOutbox(svc.db.url);

    const copyRate = await copyOneTable(svc.db.url, 'copy');
    const copySameRate = await copySameTables('copy-same');

    return {
      batchActivitiesPerSec: Math.round(batchRate),
      importActivitiesPerSec: Math.round(importRate),
      copyRowsPerSec: Math.round(copyRate),
      copySameTablesRowsPerSec: Math.round(copySameRate),
      batchToCopyRatio: +(batchRate / copyRate).toFixed(3),
      importToCopyRatio: +(importRate / copyRate).toFixed(3),
      importToCopySameTablesRatio: +(importRate / copySameRate).toFixed(3),
    };
  } finally {
    await svc.close();
  }
}

if (require.main === module) {
  runStandalone('activity-ingestion', benchActivityIngestion);
}
