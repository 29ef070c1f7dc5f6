// Secured Kafka figures (part of `npm run bench`, BENCH_ONLY=secured): the outbox relay's throughput
// over SASL_SSL (SCRAM-SHA-512) and over mutual TLS, against the same broker's PLAINTEXT listener in
// the same run (the secured test broker of `npm run infra:secure`, which listens on all three), so
// the ratio is the cost of TLS + SASL alone. A warm-up round (JIT, a freshly started broker) is not
// counted; then interleaved rounds, best round per listener.
import 'reflect-metadata';
import { loadKafkaSecurity } from '@pacer/config';
import { CreateOutbox1764230400000, OutboxRelay } from '@pacer/messaging';
import { createKafka } from '@pacer/messaging';
import { createLogger } from '@pacer/observability';
import { createTestDatabase, createTestTopics, deleteTestTopics, pollUntil, TestDatabase, uniqueName } from '@pacer/testing';
import { ensureSecuredKafka, SecuredClientOptions, securedKafkaEnv, stopSecuredKafka } from '@pacer/testing/infra';
import { runStandalone } from './standalone';

const RECORDS = Number(process.env['BENCH_SECURED_RECORDS'] ?? 50_000);
const ROUNDS = Number(process.env['BENCH_SECURED_ROUNDS'] ?? 3);
const RECORD_BYTES = 512;
const logger = createLogger('bench', 'warn');

const VARIANTS: Record<'plaintext' | 'saslSsl' | 'mtls', SecuredClientOptions> = {
  plaintext: { listener: 'PLAINTEXT' },
  saslSsl: { listener: 'SASL_SSL', mechanism: 'SCRAM-SHA-512' },
  mtls: { listener: 'SSL' },
};

export interface SecuredKafkaFigures {
  relayPlaintextRecordsPerSec: number;
  relaySaslSslRecordsPerSec: number;
  relayMtlsRecordsPerSec: number;
  saslSslToPlaintext: number;
  records: number;
  rounds: number;
}

export async function benchSecuredKafka(): Promise<SecuredKafkaFigures> {
  const broker = await ensureSecuredKafka(() => undefined);
  const topic = uniqueName('bench.secured');
  const adminKafka = createKafka({ ...kafkaOptions(broker.pki, VARIANTS.plaintext), clientId: 'pacer-bench-admin' });
  let db: TestDatabase | undefined;
  const best: Record<keyof typeof VARIANTS, number> = { plaintext: 0, saslSsl: 0, mtls: 0 };
  try {
    // A broker that has just started may still be loading its metadata: its first topic creation can
    // fail with UNKNOWN_TOPIC_OR_PARTITION while kafkajs waits for leaders.
    await pollUntil(
      () => createTestTopics(adminKafka, [topic], 6).then(() => true),
      (ok) => ok,
      { timeoutMs: 120_000, intervalMs: 1_000, what: `topic ${topic} with leaders` },
    );
    db = await createTestDatabase('bench_secured', [CreateOutbox1764230400000]);
    const database = db;
    for (let round = 0; round <= ROUNDS; round++) {
      for (const [name, variant] of Object.entries(VARIANTS) as [keyof typeof VARIANTS, SecuredClientOptions][]) {
        const relay = new OutboxRelay({
          databaseUrl: database.url,
          kafka: createKafka({ ...kafkaOptions(broker.pki, variant), clientId: `pacer-bench-${name}` }),
          logger,
          batchSize: 1000,
          lockName: uniqueName('bench-secured-relay'),
        });
        // Connects (TLS handshake, SASL exchange) and takes the leadership before the clock starts.
        await relay.drain();
        await database.dataSource.query(
          `INSERT INTO outbox (topic, key, value) SELECT $1, 't:rep-' || (i % 50), convert_to($2 || i, 'UTF8') FROM generate_series(1, $3) AS i`,
          [topic, 'x'.repeat(RECORD_BYTES - 8), RECORDS],
        );
        const t = process.hrtime.bigint();
        const relayed = await relay.drain();
        const rate = relayed / (Number(process.hrtime.bigint() - t) / 1e9);
        await relay.stop();
        if (relayed !== RECORDS) throw new Error(`${name}: relayed ${relayed} of ${RECORDS}`);
        if (round > 0) best[name] = Math.max(best[name], Math.round(rate));
      }
    }
    return {
      relayPlaintextRecordsPerSec: best.plaintext,
      relaySaslSslRecordsPerSec: best.saslSsl,
      relayMtlsRecordsPerSec: best.mtls,
      saslSslToPlaintext: Number((best.saslSsl / best.plaintext).toFixed(3)),
      records: RECORDS,
      rounds: ROUNDS,
    };
  } finally {
    await db?.drop();
    await deleteTestTopics(adminKafka, [topic]);
    if (broker.startedNow) await stopSecuredKafka(() => undefined);
  }
}

function kafkaOptions(pki: Parameters<typeof securedKafkaEnv>[0], variant: SecuredClientOptions): { brokers: string[]; logger: typeof logger; security: ReturnType<typeof loadKafkaSecurity> } {
  const env = securedKafkaEnv(pki, variant);
  return { brokers: [env['KAFKA_BROKERS'] as string], logger, security: loadKafkaSecurity(env) };
}

if (require.main === module) {
  runStandalone('secured-kafka', benchSecuredKafka);
}
