// Web app figures (part of `npm run bench`, suite `web`), against the real stack the browser tests use
// (apps/web/e2e/support/stack.ts: four services + the web server as processes, demo tenant seeded):
//  - accept → TV p50/p99 at 50 activities/s: from the ingestion API's 202 (posted through the web server,
//    as a browser would) to the moment the TV's `/api/live` stream (a display session) delivers the team
//    snapshot that counts the activity — what the TV's browser receives before it repaints
//  - rep first load in Chromium: JS transferred (raw, and gzipped as a compressing ingress sends it) and
//    the time from navigation to the first number on the rep screen
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS } from '@pacer/contracts';
import { runStandalone } from './standalone';

const ROOT = path.resolve(__dirname, '../..');
const RATE = 50;
const SECONDS = Number(process.env['BENCH_WEB_SECONDS'] ?? 20);
const READY_MARK = 'PACER_E2E_READY ';
const HUNTERS = ['h1', 'h2', 'h3', 'h4', 'h5'];

interface Stack {
  child: ChildProcess;
  baseUrl: string;
  topicPrefix: string;
  kafkaBrokers: string[];
}

async function startStack(): Promise<Stack> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/web/e2e/support/stack.ts'], {
    cwd: ROOT,
    env: { ...process.env, PACER_E2E_ACTIVITIES: process.env['PACER_E2E_ACTIVITIES'] ?? '200' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const info = await new Promise<Omit<Stack, 'child'>>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((l) => l.startsWith(READY_MARK));
      if (line) resolve(JSON.parse(line.slice(READY_MARK.length)) as Omit<Stack, 'child'>);
    });
    child.once('exit', (code) => reject(new Error(`the web stack exited with ${code} before it was ready`)));
  });
  return { child, ...info };
}

type Levels = { calls: number; at: number }[];

/** The same team/day levels read straight off the KPI topic: the web server's share is SSE − topic. */
async function watchTopic(stack: Stack): Promise<{ seen: Levels; stop: () => Promise<void> }> {
  const kafka = new Kafka({ clientId: 'bench-web-topic', brokers: stack.kafkaBrokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `${stack.topicPrefix}bench-web-topic`, maxWaitTimeInMs: 20 });
  const seen: Levels = [];
  await consumer.connect();
  await consumer.subscribe({ topic: `${stack.topicPrefix}${TOPICS.kpi}`, fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message }) => {
      const at = Date.now();
      if (!message.value) return;
      const { data } = JSON.parse(message.value.toString()) as { data: { scope: string; scopeId: string; period: { type: string }; metrics: { calls: number } } };
      if (data.scope !== 'team' || data.scopeId !== 'hunters' || data.period.type !== 'day') return;
      if (data.metrics.calls > (seen.at(-1)?.calls ?? -1)) seen.push({ calls: data.metrics.calls, at });
    },
  });
  await joined;
  return { seen, stop: () => consumer.disconnect() };
}

async function signIn(baseUrl: string, subject: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject }) });
  if (res.status !== 204) throw new Error(`sign-in of ${subject}: ${res.status}`);
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

/** Reads the display's SSE stream and records when each level of the team's day `calls` first arrived. */
async function watchTv(baseUrl: string, cookie: string, signal: AbortSignal): Promise<{ seen: { calls: number; at: number }[] }> {
  const seen: { calls: number; at: number }[] = [];
  const res = await fetch(`${baseUrl}/api/live`, { headers: { cookie }, signal });
  if (!res.ok || !res.body) throw new Error(`/api/live answered ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const at = Date.now();
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (!frame.includes('event: kpi') || !data) continue;
          const { snapshot } = JSON.parse(data.slice(6)) as { snapshot: { scope: string; scopeId: string; period: { type: string }; metrics: { calls: number } } };
          if (snapshot.scope !== 'team' || snapshot.scopeId !== 'hunters' || snapshot.period.type !== 'day') continue;
          if (snapshot.metrics.calls > (seen.at(-1)?.calls ?? -1)) seen.push({ calls: snapshot.metrics.calls, at });
        }
      }
    } catch {
      // aborted at the end of the run
    }
  })();
  return { seen };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

async function teamDayCalls(baseUrl: string, cookie: string): Promise<number> {
  const res = await fetch(`${baseUrl}/api/kpi-aggregation/v1/kpis?scope=team&scopeId=hunters&period=day`, { headers: { cookie } });
  if (!res.ok) throw new Error(`KPI API answered ${res.status}: ${await res.text()}`);
  const { items } = (await res.json()) as { items: { period: { start: string; end: string }; metrics: { calls: number } }[] };
  const now = new Date().toISOString();
  return items.find((i) => i.period.start <= now && now < i.period.end)?.metrics.calls ?? 0;
}

async function liveLatency(stack: Stack): Promise<Record<string, number>> {
  const baseUrl = stack.baseUrl;
  const topic = await watchTopic(stack);
  const tv = await signIn(baseUrl, 'demo-tv-hunters');
  const admin = await signIn(baseUrl, 'demo-admin');
  const stop = new AbortController();
  const watch = await watchTv(baseUrl, tv, stop.signal);
  const base = await teamDayCalls(baseUrl, admin);
  const accepted: number[] = [];
  const total = RATE * SECONDS;
  const started = Date.now();
  const posts: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / RATE;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const activity = { activityId: `bench-web-${started}-${i}`, kind: 'call_logged', repId: HUNTERS[i % HUNTERS.length], occurredAt: new Date().toISOString(), outcome: 'no_answer', durationSec: 30 };
    posts.push(
      fetch(`${baseUrl}/api/activity-ingestion/v1/activities`, { method: 'POST', headers: { cookie: admin, 'content-type': 'application/json' }, body: JSON.stringify(activity) }).then(async (res) => {
        if (res.status !== 202) throw new Error(`activity ${i}: ${res.status} ${await res.text()}`);
        accepted.push(Date.now());
      }),
    );
  }
  await Promise.all(posts);
  const deadline = Date.now() + 30_000;
  while ((watch.seen.at(-1)?.calls ?? 0) < base + total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  stop.abort();
  await topic.stop();
  // The k-th accept (in accept order) is on the TV once the team's day count reaches base + k.
  accepted.sort((a, b) => a - b);
  const delays = (levels: Levels): number[] =>
    accepted
      .map((at, k) => {
        const hit = levels.find((s) => s.calls >= base + k + 1);
        return hit ? hit.at - at : undefined;
      })
      .filter((l): l is number => l !== undefined)
      .sort((a, b) => a - b);
  const latencies = delays(watch.seen);
  const atTopic = delays(topic.seen);
  return {
    liveActivities: total,
    liveDelivered: latencies.length,
    acceptToTvP50Ms: percentile(latencies, 50),
    acceptToTvP99Ms: percentile(latencies, 99),
    acceptToTvMaxMs: latencies.at(-1) ?? NaN,
    acceptToTopicP50Ms: percentile(atTopic, 50),
    acceptToTopicP99Ms: percentile(atTopic, 99),
  };
}

async function repFirstLoad(baseUrl: string): Promise<Record<string, number>> {
  const browser = await chromium.launch({ executablePath: process.env['PLAYWRIGHT_CHROMIUM_EXECUTABLE'] ?? '/usr/bin/chromium' });
  try {
    // The bench's probe is evaluated from a string, which the app's CSP (rightly) forbids to page scripts.
    const context = await browser.newContext({ baseURL: baseUrl, bypassCSP: true });
    const res = await context.request.post('/api/dev/sign-in', { data: { subject: 'demo-h1' } });
    if (res.status() !== 204) throw new Error(`sign-in: ${res.status()}`);
    const page = await context.newPage();
    const scripts: Promise<{ raw: number; gzip: number }>[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.push(r.body().then((b) => ({ raw: b.length, gzip: gzipSync(b).length })));
    });
    await page.goto('/rep');
    // Evaluated in the page (a string: this file is type-checked without the DOM library).
    const firstNumberMs = await page.waitForFunction(
      `(() => {
        const el = Array.from(document.querySelectorAll('[data-testid^="actual-"], .stat-value, td.num')).find((e) => /\\d/.test(e.textContent || ''));
        return el ? performance.now() : undefined;
      })()`,
      undefined,
      { polling: 'raf', timeout: 60_000 },
    );
    const time = (await firstNumberMs.jsonValue()) as number;
    await page.waitForLoadState('networkidle');
    const sizes = await Promise.all(scripts);
    return {
      repJsFiles: sizes.length,
      repJsRawKB: Math.round(sizes.reduce((s, x) => s + x.raw, 0) / 1024),
      repJsGzipKB: Math.round(sizes.reduce((s, x) => s + x.gzip, 0) / 1024),
      repFirstNumberMs: Math.round(time),
    };
  } finally {
    await browser.close();
  }
}

export async function benchWeb(): Promise<Record<string, number>> {
  const stack = await startStack();
  const child = stack.child;
  try {
    // One part failing (say the rep screen under a loaded machine) still reports the other.
    const part = async (name: string, run: () => Promise<Record<string, number>>): Promise<Record<string, number>> =>
      run().catch((e: unknown) => {
        process.stderr.write(`web bench: ${name} failed: ${e instanceof Error ? e.message : String(e)}\n`);
        return {};
      });
    const live = await part('accept → TV', () => liveLatency(stack));
    const load = await part('rep first load', () => repFirstLoad(stack.baseUrl));
    return { ...live, ...load };
  } finally {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }
}

if (require.main === module) {
  runStandalone('web', benchWeb);
}
