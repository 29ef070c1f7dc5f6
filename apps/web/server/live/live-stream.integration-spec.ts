import { AddressInfo } from 'node:net';
import { createServer, Server } from 'node:http';
import { TOPICS } from '@pacer/contracts';
import { createLogger } from '@pacer/observability';
import { createTopicNamespace, deleteTopicNamespace, pollUntil, testBrokers, testKafka } from '@pacer/testing';
import { createKafka } from '@pacer/messaging';
import { createWebApp } from '../app';
import { loadWebConfig } from '../config/web-config';
import { KpiFeed } from './kpi-feed';

// The live stream end to end over the real broker: a snapshot published on the (prefixed) KPI topic
// reaches a signed-in rep's /api/live if, and only if, the rep may read it.
describe('/api/live over Kafka', () => {
  let prefix: string;
  let feed: KpiFeed;
  let server: Server;
  let baseUrl: string;
  let closeStreams: () => void;
  const logger = createLogger('web-test', 'silent');

  beforeAll(async () => {
    prefix = await createTopicNamespace('web');
    const config = loadWebConfig(
      {
        NODE_ENV: 'development',
        KAFKA_BROKERS: testBrokers().join(','),
        PACER_TOPIC_PREFIX: prefix,
        PACER_JWT_SECRET: 'web-live-test-secret',
        // No services run here: roster lookups fail fast and the filter falls back to the token's claims.
        PACER_SPRINT_PLANNING_URL: 'http://127.0.0.1:9',
        PACER_KPI_AGGREGATION_URL: 'http://127.0.0.1:9',
      },
      { staticDir: '/nonexistent' },
    );
    feed = new KpiFeed(createKafka({ brokers: config.kafka.brokers, clientId: 'web-live-test', logger }), prefix, logger);
    await feed.start();
    await pollUntil(() => feed.ready, (ready) => ready, { timeoutMs: 60_000, what: 'the KPI feed to join' });
    const web = createWebApp({ config, logger, live: feed });
    closeStreams = web.closeStreams;
    server = createServer(web.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    closeStreams();
    await new Promise((resolve) => server.close(resolve));
    await feed.stop();
    await deleteTopicNamespace(prefix);
  });

  it('delivers the rep’s own, team and org snapshots of the tenant, and nothing else', async () => {
    const signIn = await fetch(`${baseUrl}/api/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject: 'demo-h1' }) });
    expect(signIn.status).toBe(204);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const stream = new AbortController();
    const res = await fetch(`${baseUrl}/api/live`, { headers: { cookie }, signal: stream.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const keys: string[] = [];
    void (async () => {
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          text += decoder.decode(value, { stream: true });
          for (const m of text.matchAll(/event: kpi\ndata: (.*)\n\n/g)) keys.push((JSON.parse(m[1] as string) as { key: string }).key);
          text = text.slice(text.lastIndexOf('\n\n') + 2);
        }
      } catch {
        // aborted
      }
    })();

    const producer = testKafka('web-live-test-producer').producer();
    await producer.connect();
    const snapshot = (tenant: string, scope: string, scopeId: string) => ({
      key: `${tenant}:${scope}:${scopeId}:day:2026-12-06`,
      value: JSON.stringify({ type: 'pacer.kpi.snapshot.v1', tenantid: tenant, data: { scope, scopeId, period: { type: 'day', key: '2026-12-06' }, metrics: { calls: 1 }, revision: 1 } }),
    });
    // The feed starts at the end of the topic, and kafkajs settles where that end is per partition on
    // its first fetches: another tenant's snapshot on every partition, until the feed has passed one
    // on each, shows it is positioned everywhere before the records under test go out.
    const probed = new Set<string>();
    const stopProbe = feed.subscribe((change) => {
      if (change.tenantId === 'probe') probed.add(change.key);
    });
    const partitions = 3; // createTopicNamespace makes three
    await pollUntil(
      async () => {
        await producer.send({ topic: `${prefix}${TOPICS.kpi}`, messages: Array.from({ length: partitions }, (_, p) => ({ ...snapshot('probe', 'rep', `p${p}`), partition: p })) });
        return probed.size;
      },
      (n) => n === partitions,
      { timeoutMs: 30_000, intervalMs: 500, what: 'the feed to pass a probe on every partition' },
    );
    stopProbe();
    await producer.send({
      topic: `${prefix}${TOPICS.kpi}`,
      messages: [
        snapshot('demo', 'rep', 'h2'),
        snapshot('demo', 'team', 'machine'),
        snapshot('acme', 'rep', 'h1'),
        snapshot('demo', 'rep', 'h1'),
        snapshot('demo', 'team', 'hunters'),
        snapshot('demo', 'org', 'demo'),
      ],
    });
    await producer.disconnect();
    const expected = ['demo:org:demo:day:2026-12-06', 'demo:rep:h1:day:2026-12-06', 'demo:team:hunters:day:2026-12-06'];
    await pollUntil(() => [...keys].sort(), (seen) => expected.every((k) => seen.includes(k)), { timeoutMs: 20_000, what: 'the three visible snapshots' });
    stream.abort();
    expect([...new Set(keys)].sort()).toEqual(expected);
  }, 60_000);

  it('answers 401 problem+json without a session', async () => {
    const res = await fetch(`${baseUrl}/api/live`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
