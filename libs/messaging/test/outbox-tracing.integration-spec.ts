import { context, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Kafka } from 'kafkajs';
import { createLogger, pacerTracer, startTracing, withLogContext } from '@pacer/observability';
import {
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  pollUntil,
  TestDatabase,
  testKafka,
  TopicRecorder,
  uniqueName,
} from '@pacer/testing';
import { CreateOutbox1764230400000, enqueueOutbox, OutboxMessage, OutboxRelay } from '../src';

const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';

describe('outbox trace propagation', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  const topic = uniqueName('test.outbox-trace');
  const exporter = new InMemorySpanExporter();

  beforeAll(async () => {
    db = await createTestDatabase('outbox_trace', [CreateOutbox1764230400000]);
    kafka = testKafka();
    await createTestTopics(kafka, [topic], 1);
  });
  afterAll(async () => {
    await db.drop();
    await deleteTestTopics(kafka, [topic]);
  });

  const enqueue = (messages: OutboxMessage[]) => db.dataSource.transaction((m) => enqueueOutbox(m, messages));
  const rows = async () =>
    (await db.dataSource.query(`SELECT key, headers FROM outbox ORDER BY seq`)) as {
      key: string;
      headers: Record<string, string>;
    }[];

  it('adds no trace header while tracing is off, but does carry the correlation id', async () => {
    await withLogContext({ correlationId: 'corr-off' }, () =>
      enqueue([{ topic, key: 'off', value: { n: 0 } }]),
    );
    expect((await rows()).find((r) => r.key === 'off')?.headers).toEqual({ 'x-correlation-id': 'corr-off' });
  });

  it('writes the active context into each row unless the caller set it, and the relay publishes it under a producer span', async () => {
    const tracing = await startTracing({
      serviceName: 'pacer-test',
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    try {
      const span = pacerTracer().startSpan('request', { kind: SpanKind.SERVER });
      await context.with(trace.setSpan(context.active(), span), () =>
        enqueue([
          { topic, key: 'traced', value: { n: 1 } },
          {
            topic,
            key: 'caller',
            value: { n: 2 },
            headers: { traceparent: `00-${CALLER_TRACE}-b7ad6b7169203331-01`, 'x-correlation-id': 'mine' },
          },
        ]),
      );
      span.end();
      await enqueue([{ topic, key: 'untraced', value: { n: 3 } }]);

      const byKey = Object.fromEntries((await rows()).map((r) => [r.key, r.headers]));
      const { traceId, spanId } = span.spanContext();
      expect(byKey['traced']).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
      expect(byKey['caller']).toEqual({
        traceparent: `00-${CALLER_TRACE}-b7ad6b7169203331-01`,
        'x-correlation-id': 'mine',
      });
      expect(byKey['untraced']).toEqual({});

      const relay = new OutboxRelay({
        databaseUrl: db.url,
        kafka,
        logger: createLogger('t', 'silent'),
        pollMs: 20,
      });
      const recorder = await new TopicRecorder(kafka, [topic]).start();
      try {
        await relay.drain();
        await pollUntil(
          () => recorder.records.length,
          (n) => n === 4,
          { what: 'four records' },
        );
      } finally {
        await relay.stop();
        await recorder.stop();
      }
      const published = Object.fromEntries(recorder.records.map((r) => [r.key, r.headers]));
      const producers = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.PRODUCER);
      expect(producers.map((p) => p.name)).toEqual([`send ${topic}`, `send ${topic}`]);

      // Each traced record now carries its producer span, a child of the row's context.
      for (const [key, parentTrace, parentSpan] of [
        ['traced', traceId, spanId],
        ['caller', CALLER_TRACE, 'b7ad6b7169203331'],
      ] as const) {
        const producer = producers.find((p) => p.parentSpanContext?.spanId === parentSpan);
        expect(producer?.spanContext().traceId).toBe(parentTrace);
        expect(published[key]?.['traceparent']).toBe(
          `00-${parentTrace}-${producer?.spanContext().spanId}-01`,
        );
      }
      expect(published['caller']?.['x-correlation-id']).toBe('mine');
      expect(published['off']).toEqual({ 'x-correlation-id': 'corr-off' });
      expect(published['untraced']).toEqual({});
    } finally {
      await tracing.shutdown();
    }
  });
});
