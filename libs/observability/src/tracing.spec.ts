import { context, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Writable } from 'node:stream';
import { createLogger } from './logger';
import {
  currentTraceIds,
  extractTraceContext,
  injectTraceHeaders,
  pacerTracer,
  startTracing,
  tracingEnabled,
} from './tracing';

const INCOMING = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('tracing', () => {
  it('is off until started: no headers written, nothing extracted, no ids in logs', () => {
    expect(tracingEnabled()).toBe(false);
    const headers = injectTraceHeaders({});
    expect(headers).toEqual({});
    expect(trace.getSpanContext(extractTraceContext({ traceparent: INCOMING }))).toBeUndefined();
    expect(currentTraceIds()).toBeUndefined();
  });

  it('when started, continues an incoming traceparent, injects the active context and logs its ids', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = await startTracing({
      serviceName: 'pacer-test',
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    try {
      expect(tracingEnabled()).toBe(true);
      // The first registration wins: a later call (e.g. by the platform at boot) gets the same one.
      expect(await startTracing({ serviceName: 'other' })).toBe(tracing);

      const parent = extractTraceContext({ traceparent: INCOMING });
      const span = pacerTracer().startSpan('work', { kind: SpanKind.SERVER }, parent);
      const lines: string[] = [];
      const logger = createLogger(
        'test',
        'info',
        new Writable({ write: (c: Buffer, _e, done) => (lines.push(c.toString()), done()) }),
      );
      const headers = context.with(trace.setSpan(parent, span), () => {
        logger.info('inside');
        return {
          written: injectTraceHeaders({ other: 'x' }),
          kept: injectTraceHeaders({ traceparent: 'caller-set' }),
        };
      });
      span.end();

      expect(headers.written).toEqual({
        other: 'x',
        traceparent: `00-4bf92f3577b34da6a3ce929d0e0e4736-${span.spanContext().spanId}-01`,
      });
      expect(headers.kept).toEqual({ traceparent: 'caller-set' });
      expect(JSON.parse(lines[0] as string)).toMatchObject({
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: span.spanContext().spanId,
      });
      const [exported] = exporter.getFinishedSpans();
      expect(exported?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
      expect(exported?.resource.attributes['service.name']).toBe('pacer-test');
    } finally {
      await tracing.shutdown();
    }
    expect(tracingEnabled()).toBe(false);
    expect(injectTraceHeaders({})).toEqual({});
  });
});
