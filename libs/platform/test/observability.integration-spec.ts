import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { INestApplication } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Partitioners, Producer } from 'kafkajs';
import { mintToken } from '@pacer/auth';
import { DLQ_HEADERS, TOPICS } from '@pacer/contracts';
import { startTracing, Tracing } from '@pacer/observability';
import {
  createTestDatabase,
  createTopicNamespace,
  deleteTopicNamespace,
  pollUntil,
  ReadRecord,
  TEST_JWT_SECRET,
  TestDatabase,
  testBrokers,
  testKafka,
  TopicRecorder,
  uniqueName,
} from '@pacer/testing';
import { createServiceApp } from '../src';
import { PING_TYPE, TracedService } from './fixtures/traced.service';

/** `00-<trace id>-<span id>-<flags>` → its parts. */
function parseTraceparent(value: string | undefined): { traceId: string; spanId: string } {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(value ?? '');
  if (!match) throw new Error(`not a traceparent: ${value}`);
  return { traceId: match[1] as string, spanId: match[2] as string };
}

describe('observability of a running service: traces across Kafka, JSON logs, /metrics', () => {
  const exporter = new InMemorySpanExporter();
  const tenant = uniqueName('tenant-obs');
  const logLines: Record<string, unknown>[] = [];
  let tracing: Tracing;
  let db: TestDatabase;
  let prefix: string;
  let app: INestApplication;
  let baseUrl: string;
  let recorder: TopicRecorder;
  let producer: Producer;
  let token: string;

  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  const recordsOf = (topic: string): ReadRecord[] =>
    recorder.records.filter((r) => r.topic === prefix + topic);
  const json = (r: ReadRecord): Record<string, unknown> =>
    JSON.parse(r.value?.toString() ?? 'null') as Record<string, unknown>;

  beforeAll(async () => {
    // Registered before the service boots: the platform's own startTracing then reuses it.
    tracing = await startTracing({
      serviceName: 'pacer-test',
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    db = await createTestDatabase('observability', []);
    await db.dataSource.destroy();
    prefix = await createTopicNamespace('obs');
    const logs = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean))
          logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    ({ app } = await createServiceApp(
      TracedService,
      {
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testBrokers().join(','),
        KAFKA_GROUP_ID: uniqueName('test-obs'),
        PACER_JWT_SECRET: TEST_JWT_SECRET,
        LOG_LEVEL: 'info',
        PACER_TOPIC_PREFIX: prefix,
        PACER_TRACING: 'true',
        PACER_CONSUMER_MAX_RETRIES: '1',
        PACER_CONSUMER_RETRY_BACKOFF_MS: '10',
        PACER_OUTBOX_POLL_MS: '20',
      },
      { shutdownHooks: false, logDestination: logs },
    ));
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    recorder = await new TopicRecorder(
      testKafka(),
      [TOPICS.activities, TOPICS.kpi, TOPICS.commissions, TOPICS.dlq].map((t) => prefix + t),
    ).start();
    producer = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    token = await mintToken({ secret: TEST_JWT_SECRET, tenantId: tenant, roles: ['ingest'] });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await recorder?.stop();
    await app?.close();
    await db?.drop();
    if (prefix) await deleteTopicNamespace(prefix);
    await tracing?.shutdown();
  });

  it('follows one request through the outbox, the relay, Kafka and a consumer in one trace', async () => {
    const incoming = { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') };
    const res = await fetch(`${baseUrl}/v1/pings`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        traceparent: `00-${incoming.traceId}-${incoming.spanId}-01`,
        'x-correlation-id': 'corr-obs-1',
      },
      body: JSON.stringify({ id: 'ping-1' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-correlation-id')).toBe('corr-obs-1');

    // The HTTP server span continues the caller's trace.
    const server = spans().find((s) => s.kind === SpanKind.SERVER && s.name === 'POST /v1/pings');
    expect(server?.spanContext().traceId).toBe(incoming.traceId);
    expect(server?.parentSpanContext?.spanId).toBe(incoming.spanId);
    expect(server?.attributes['http.response.status_code']).toBe(201);

    // enqueueOutbox wrote the server span's context (and the correlation id) into the outbox row.
    const { headers: row } = (await res.json()) as { headers: Record<string, string> };
    expect(parseTraceparent(row['traceparent'])).toEqual({
      traceId: incoming.traceId,
      spanId: server?.spanContext().spanId,
    });
    expect(row['x-correlation-id']).toBe('corr-obs-1');

    // The relay published it under a producer span, whose context the record carries.
    const [activity] = await pollUntil(
      () => recordsOf(TOPICS.activities).filter((r) => json(r)['id'] === 'ping-1'),
      (rs) => rs.length === 1,
      { what: 'the ping on the activities topic' },
    );
    const onTopic = parseTraceparent(activity?.headers['traceparent']);
    expect(onTopic.traceId).toBe(incoming.traceId);
    const sendActivity = await pollUntil(
      () => spans().find((s) => s.spanContext().spanId === onTopic.spanId),
      (s) => s !== undefined,
      { what: 'the producer span of the activity' },
    );
    expect(sendActivity?.kind).toBe(SpanKind.PRODUCER);
    expect(sendActivity?.name).toBe(`send ${prefix}${TOPICS.activities}`);
    expect(sendActivity?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);

    // The consumer handled it in a span whose parent is the record's context.
    const consume = await pollUntil(
      () =>
        spans().find(
          (s) => s.kind === SpanKind.CONSUMER && s.attributes['messaging.message.id'] === 'ping-1',
        ),
      (s) => s !== undefined,
      { what: 'the consumer span' },
    );
    expect(consume?.spanContext().traceId).toBe(incoming.traceId);
    expect(consume?.parentSpanContext?.spanId).toBe(onTopic.spanId);
    expect(consume?.attributes).toMatchObject({
      'cloudevents.event_type': PING_TYPE,
      'pacer.tenant_id': tenant,
    });

    // What handle() published carries the same trace again, as a child of the consumer span.
    const [pong] = await pollUntil(
      () => recordsOf(TOPICS.kpi).filter((r) => json(r)['pong'] === 'ping-1'),
      (rs) => rs.length === 1,
      { what: 'the pong on the kpi topic' },
    );
    const pongContext = parseTraceparent(pong?.headers['traceparent']);
    expect(pongContext.traceId).toBe(incoming.traceId);
    // The relay ends its producer span when the broker acknowledges the send, which can be after
    // this test's own consumer already read the record: wait for the span, with a deadline.
    const sendPong = await pollUntil(
      () => spans().find((s) => s.spanContext().spanId === pongContext.spanId),
      (s) => s !== undefined,
      { what: 'the producer span of the pong' },
    );
    expect(sendPong?.parentSpanContext?.spanId).toBe(consume?.spanContext().spanId);
    expect(pong?.headers['x-correlation-id']).toBe('corr-obs-1');

    // The batch (and so afterBatch) ran in a batch span linked to the record's context, and the
    // consumer span links to the batch span; with one trace in the batch it stays in that trace.
    const [summary] = await pollUntil(
      () =>
        recordsOf(TOPICS.commissions).filter((r) => JSON.stringify(json(r)['summaryOf']) === '["ping-1"]'),
      (rs) => rs.length === 1,
      { what: 'the afterBatch summary' },
    );
    const summaryContext = parseTraceparent(summary?.headers['traceparent']);
    expect(summaryContext.traceId).toBe(incoming.traceId);
    const sendSummary = spans().find((s) => s.spanContext().spanId === summaryContext.spanId);
    const batch = spans().find((s) => s.spanContext().spanId === sendSummary?.parentSpanContext?.spanId);
    expect(batch?.name).toBe(`batch ${prefix}${TOPICS.activities}`);
    expect(batch?.spanContext().traceId).toBe(incoming.traceId);
    expect(batch?.links.map((l) => l.context.spanId)).toEqual([onTopic.spanId]);
    expect(consume?.links.map((l) => l.context.spanId)).toEqual([batch?.spanContext().spanId]);
  });

  it('links a batch of several traces from its batch span instead of adopting one of them', async () => {
    const traceIds = [0, 1, 2].map(() => randomBytes(16).toString('hex'));
    // One key: one partition, so the three land in one batch.
    await producer.send({
      topic: prefix + TOPICS.activities,
      acks: -1,
      messages: traceIds.map((traceId, i) => ({
        key: 'one-partition',
        value: JSON.stringify({ id: `multi-${i}`, type: PING_TYPE, tenantid: tenant }),
        headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      })),
    });
    const batch = await pollUntil(
      () =>
        spans().find(
          (s) => s.name.startsWith('batch ') && s.links.some((l) => traceIds.includes(l.context.traceId)),
        ),
      (s) => s !== undefined,
      { what: 'the batch span' },
    );
    // One produce request is one record batch on the partition, so one fetch and one consumer batch.
    expect(new Set(batch?.links.map((l) => l.context.traceId))).toEqual(new Set(traceIds));
    expect(traceIds).not.toContain(batch?.spanContext().traceId);
    expect(batch?.parentSpanContext).toBeUndefined();
    const consumers = await pollUntil(
      () =>
        spans().filter((s) => s.name.startsWith('process ') && traceIds.includes(s.spanContext().traceId)),
      (found) => found.length === 3,
      { what: 'three consumer spans, each in its own trace' },
    );
    // From each activity's trace, a link leads forward to the batch that also published for it.
    for (const c of consumers)
      expect(c.links.map((l) => l.context.spanId)).toEqual([batch?.spanContext().spanId]);
  });

  it('writes JSON logs with tenant, correlation id, trace id and event id, and never the token', async () => {
    const traceId = randomBytes(16).toString('hex');
    const byRequestId = await fetch(`${baseUrl}/v1/pings`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'x-request-id': 'req-42',
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
      body: JSON.stringify({ id: 'ping-logs' }),
    });
    expect(byRequestId.headers.get('x-correlation-id')).toBe('req-42');
    // A token sent as a correlation id is not echoed or logged: a fresh id replaces it.
    const sneaky = await fetch(`${baseUrl}/v1/pings`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'x-correlation-id': token,
      },
      body: JSON.stringify({ id: 'ping-sneaky' }),
    });
    expect(sneaky.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);

    const request = logLines.find((l) => l['msg'] === 'request' && l['correlationId'] === 'req-42');
    expect(request).toMatchObject({
      service: 'activity-ingestion',
      tenantId: tenant,
      route: '/v1/pings',
      status: 201,
      traceId,
    });

    const handled = await pollUntil(
      () => logLines.find((l) => l['msg'] === 'ping handled' && l['eventId'] === 'ping-logs'),
      (l) => l !== undefined,
      { what: 'the handler log line' },
    );
    // The correlation id crossed Kafka in a header; the trace id in traceparent.
    expect(handled).toMatchObject({
      eventType: PING_TYPE,
      tenantId: tenant,
      correlationId: 'req-42',
      traceId,
    });

    await producer.send({
      topic: prefix + TOPICS.activities,
      acks: -1,
      messages: [
        {
          key: 'poison',
          value: JSON.stringify({ id: 'ping-poison', type: PING_TYPE, tenantid: tenant, poison: true }),
        },
      ],
    });
    const dead = await pollUntil(
      () => logLines.find((l) => l['msg'] === 'message sent to the DLQ' && l['eventId'] === 'ping-poison'),
      (l) => l !== undefined,
      { what: 'the DLQ log line' },
    );
    expect(dead).toMatchObject({ eventType: PING_TYPE, tenantId: tenant, topic: prefix + TOPICS.activities });
    expect(
      logLines.find((l) => l['msg'] === 'message handler failed' && l['eventId'] === 'ping-poison'),
    ).toMatchObject({
      eventType: PING_TYPE,
      tenantId: tenant,
    });
    const [dlq] = await pollUntil(
      () => recordsOf(TOPICS.dlq),
      (rs) => rs.length === 1,
      { what: 'the DLQ record' },
    );
    expect(dlq?.headers[DLQ_HEADERS.error]).toContain('poison ping');

    const text = JSON.stringify(logLines);
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[2] as string);
    expect(text).not.toContain(TEST_JWT_SECRET);
  });

  it('exposes every operational metric family on /metrics', async () => {
    const res = await fetch(`${baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const body = await res.text();
    const families: Record<string, string> = {
      pacer_http_requests_total: 'HTTP request count',
      pacer_http_request_duration_seconds: 'HTTP latency',
      pacer_consumer_lag: 'consumer lag per partition',
      pacer_consumer_batch_size: 'batch size',
      pacer_consumer_batch_duration_seconds: 'batch duration',
      pacer_consumer_messages_total: 'consumed messages by outcome',
      pacer_consumer_retries_total: 'handler retries',
      pacer_outbox_backlog: 'outbox backlog',
      pacer_outbox_published_total: 'outbox records published',
      pacer_outbox_publish_latency_seconds: 'outbox publish latency',
      pacer_dlq_messages_total: 'DLQ count',
    };
    const missing = Object.entries(families).filter(
      ([name]) => !new RegExp(`^# TYPE ${name} `, 'm').test(body),
    );
    expect(missing).toEqual([]);
    // Each family has samples from the traffic above, not just its declaration.
    const silent = Object.keys(families).filter(
      (name) => !new RegExp(`^${name}(_bucket|_sum|_count)?(\\{[^}]*\\})? `, 'm').test(body),
    );
    expect(silent).toEqual([]);
    expect(body).toMatch(
      new RegExp(
        `^pacer_consumer_lag\\{group="[^"]+",topic="${prefix.replace(/\./g, '\\.')}pacer\\.activities\\.v1",partition="\\d"\\} \\d+`,
        'm',
      ),
    );
    expect(body).toMatch(/^pacer_http_requests_total\{method="POST",route="\/v1\/pings",status="201"\} \d+/m);
    expect(body).toMatch(/^pacer_dlq_messages_total\{[^}]*\} 1$/m);
  });
});
