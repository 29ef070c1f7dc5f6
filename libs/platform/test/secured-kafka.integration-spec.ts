import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { INestApplication } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { mintToken } from '@pacer/auth';
import { KafkaSecurity, loadKafkaSecurity } from '@pacer/config';
import { TOPIC_SPECS, TOPICS } from '@pacer/contracts';
import {
  createTestDatabase,
  createTestTopics,
  pollUntil,
  TEST_JWT_SECRET,
  TestDatabase,
  TopicRecorder,
  uniqueName,
} from '@pacer/testing';
import { ensureSecuredKafka, SecuredClientOptions, securedKafkaEnv, SecuredKafka, stopSecuredKafka } from '@pacer/testing/infra';
import { createServiceApp } from '../src';
import { TracedService } from './fixtures/traced.service';

/**
 * A service over a Kafka that speaks only TLS and SASL (the secured test broker of `npm run
 * infra:secure`): its outbox relay publishes, its BatchConsumer consumes and publishes in turn, with
 * the connection settings an operator gives (KAFKA_SECURITY_PROTOCOL, KAFKA_SSL_*, KAFKA_SASL_*).
 * A refused password or an untrusted broker certificate keeps the process up and fails readiness,
 * saying why.
 */
describe('a service over secured Kafka (TLS, SASL SCRAM/PLAIN, mutual TLS)', () => {
  let kafka: SecuredKafka;
  const prefix = `${uniqueName('secured')}.`;
  const topics = TOPIC_SPECS.map((spec) => prefix + spec.name);
  let admin: Kafka;

  function clientFor(security: KafkaSecurity, brokers: string): Kafka {
    return new Kafka({ clientId: 'secured-test', brokers: [brokers], ssl: security.ssl, sasl: security.sasl, logLevel: logLevel.NOTHING });
  }

  beforeAll(async () => {
    kafka = await ensureSecuredKafka(() => undefined);
    admin = clientFor(loadKafkaSecurity(securedKafkaEnv(kafka.pki)), kafka.brokers.SASL_SSL);
    await createTestTopics(admin, topics, 3);
  }, 180_000);

  afterAll(async () => {
    // Not the best-effort helper: the secured broker's data outlives the run, so a failed delete must show.
    if (admin) {
      const client = admin.admin();
      await client.connect();
      try {
        await client.deleteTopics({ topics, timeout: 30_000 });
      } finally {
        await client.disconnect();
      }
    }
    // Whoever started the broker stops it; one that was already running (infra:secure up) stays.
    if (kafka?.startedNow) await stopSecuredKafka(() => undefined);
  }, 90_000);

  interface Booted {
    app: INestApplication;
    baseUrl: string;
    db: TestDatabase;
    logs: Record<string, unknown>[];
    close(): Promise<void>;
  }

  async function boot(client: SecuredClientOptions, extra: Record<string, string> = {}): Promise<Booted> {
    const db = await createTestDatabase('secured_kafka', []);
    await db.dataSource.destroy();
    const logs: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const { app } = await createServiceApp(
      TracedService,
      {
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        KAFKA_GROUP_ID: uniqueName('test-secured'),
        PACER_JWT_SECRET: TEST_JWT_SECRET,
        LOG_LEVEL: 'info',
        PACER_TOPIC_PREFIX: prefix,
        PACER_OUTBOX_POLL_MS: '20',
        ...securedKafkaEnv(kafka.pki, client),
        ...extra,
      },
      { shutdownHooks: false, logDestination: sink },
    );
    await app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    return {
      app,
      baseUrl,
      db,
      logs,
      async close() {
        await app.close();
        await db.drop();
      },
    };
  }

  describe.each<[string, SecuredClientOptions]>([
    ['SASL_SSL with SCRAM-SHA-512', { mechanism: 'SCRAM-SHA-512' }],
    ['SASL_SSL with SCRAM-SHA-256', { mechanism: 'SCRAM-SHA-256' }],
    ['SASL_SSL with PLAIN', { mechanism: 'PLAIN' }],
    ['SSL with a client certificate (mutual TLS)', { listener: 'SSL' }],
  ])('%s', (_name, client) => {
    let service: Booted;
    let recorder: TopicRecorder;

    beforeAll(async () => {
      service = await boot(client);
      const security = loadKafkaSecurity(securedKafkaEnv(kafka.pki, client));
      recorder = await new TopicRecorder(clientFor(security, securedKafkaEnv(kafka.pki, client)['KAFKA_BROKERS'] as string), [prefix + TOPICS.kpi]).start();
    }, 120_000);

    afterAll(async () => {
      await recorder?.stop();
      await service?.close();
    });

    it('is ready, and a write goes outbox → relay → topic → BatchConsumer → outbox → relay → topic', async () => {
      const ready = await fetch(`${service.baseUrl}/health/ready`);
      expect(await ready.json()).toEqual({ status: 'ok', checks: { postgres: 'up', kafka: 'up' } });

      const tenant = uniqueName('tenant-secured');
      const id = uniqueName('ping');
      const token = await mintToken({ secret: TEST_JWT_SECRET, tenantId: tenant, roles: ['ingest'] });
      const res = await fetch(`${service.baseUrl}/v1/pings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id }),
      });
      expect(res.status).toBe(201);
      // PingConsumer publishes a pong for each ping it handled: it went through every secured client.
      const pongs = await pollUntil(
        () => recorder.json<{ pong?: string }>().filter((r) => r.pong === id),
        (found) => found.length > 0,
        { timeoutMs: 30_000, what: `the pong of ${id}` },
      );
      expect(pongs).toHaveLength(1);
      expect(service.logs.find((l) => l['msg'] === 'connection security')?.['kafka']).toMatch(/^(SASL_SSL|SSL), CA from KAFKA_SSL_CA/);
    });
  });

  describe.each<[string, SecuredClientOptions, RegExp, RegExp]>([
    [
      'a wrong SCRAM password',
      { mechanism: 'SCRAM-SHA-512', password: 'not-the-password' },
      /^Kafka refused the SASL credentials \(SCRAM-SHA-512 as pacer\): .*invalid credentials.*; check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD\(_FILE\)/,
      /not-the-password/,
    ],
    [
      'a CA that did not sign the broker certificate',
      { mechanism: 'SCRAM-SHA-512', caFile: 'untrusted' },
      /^the Kafka broker's TLS certificate is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate\); KAFKA_SSL_CA\(_FILE\) must hold/,
      /pacer-scram-secret/,
    ],
    [
      'a broker certificate for another host',
      { listener: 'MISNAMED' },
      /^the Kafka broker's TLS certificate does not name the host it was reached at \(Hostname\/IP does not match certificate's altnames: IP: 127\.0\.0\.1/,
      /BEGIN PRIVATE KEY/,
    ],
    [
      'no client certificate on the mutual-TLS listener',
      { listener: 'SSL', clientCertificate: false },
      /^the Kafka broker refused the client certificate \(.*alert (bad certificate|certificate required).*\); KAFKA_SSL_CERT\(_FILE\)/,
      /BEGIN PRIVATE KEY/,
    ],
  ])('with %s', (_name, client, reason, secret) => {
    let service: Booted;

    beforeAll(async () => {
      const options = client.caFile === 'untrusted' ? { ...client, caFile: kafka.pki.untrustedCaFile } : client;
      // Boots at all: Kafka's refusal does not stop the process (no crash loop), it is reported.
      service = await boot(options);
    }, 60_000);

    afterAll(async () => {
      await service?.close();
    });

    it('stays up, fails readiness naming the cause, and logs it once', async () => {
      const live = await fetch(`${service.baseUrl}/health/live`);
      expect(live.status).toBe(200);

      const ready = await fetch(`${service.baseUrl}/health/ready`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as { errors: { path: string; message: string }[] };
      const kafkaError = body.errors.find((e) => e.path === 'kafka');
      expect(kafkaError?.message).toMatch(reason);
      expect(body.errors.map((e) => e.path)).toEqual(['kafka']);

      const consumers = await fetch(`${service.baseUrl}/health/consumers`);
      expect(consumers.status).toBe(503);
      const { stalled } = (await consumers.json()) as { stalled: { partition: number; lastError: string }[] };
      expect(stalled).toEqual([expect.objectContaining({ partition: -1, lastError: expect.stringMatching(reason) })]);

      const refusals = service.logs.filter((l) => String(l['msg']).startsWith('kafka refused the connection, consumers not started'));
      expect(refusals).toHaveLength(1);
      expect(refusals[0]?.['level']).toBe(50);
      expect(String(refusals[0]?.['problem'])).toMatch(reason);
      expect(JSON.stringify(service.logs)).not.toMatch(secret);
    });
  });
});
