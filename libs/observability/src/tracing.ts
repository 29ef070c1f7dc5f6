import {
  Context,
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  Span,
  SpanStatusCode,
  trace,
  Tracer,
} from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** W3C Trace Context header names, on HTTP requests and on Kafka records alike. */
export const TRACE_HEADERS = { traceparent: 'traceparent', tracestate: 'tracestate' } as const;

export interface TracingOptions {
  /** `service.name` unless OTEL_SERVICE_NAME (read by the SDK's resource detector) overrides it. */
  serviceName: string;
  /** OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `<endpoint>/v1/traces`. */
  endpoint?: string;
  /** Replaces the OTLP exporter, e.g. an in-memory exporter in tests. */
  spanProcessors?: SpanProcessor[];
}

export interface Tracing {
  readonly serviceName: string;
  /** Exports every ended span now. */
  flush(): Promise<void>;
  /** Flushes, then unregisters the tracer provider, context manager and propagator. */
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;
let starting: Promise<Tracing> | undefined;

/** True once `startTracing` has registered a tracer provider in this process. */
export function tracingEnabled(): boolean {
  return active !== undefined;
}

/**
 * Registers a tracer provider, the AsyncLocalStorage context manager and the W3C trace-context
 * propagator for the whole process. The SDK is loaded only here, so a process with tracing off runs
 * nothing but the no-op API. The first call wins: later calls (e.g. a service booted by a test that
 * already registered an in-memory exporter) get the same instance.
 */
export function startTracing(options: TracingOptions): Promise<Tracing> {
  starting ??= register(options).catch((e: unknown) => {
    starting = undefined;
    throw e;
  });
  return starting;
}

/** Flushes and unregisters the process's tracing, if any (last step of a graceful shutdown). */
export async function shutdownTracing(): Promise<void> {
  await active?.shutdown();
}

/** Exports every ended span now; a no-op when tracing is off. */
export async function flushTracing(): Promise<void> {
  await active?.flush();
}

async function register(options: TracingOptions): Promise<Tracing> {
  const [{ NodeTracerProvider }, { BatchSpanProcessor }, { W3CTraceContextPropagator }, resources, semconv] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/core'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/semantic-conventions'),
    ]);
  let spanProcessors = options.spanProcessors;
  if (!spanProcessors) {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    const url = options.endpoint ? `${options.endpoint.replace(/\/+$/, '')}/v1/traces` : undefined;
    spanProcessors = [new BatchSpanProcessor(new OTLPTraceExporter(url ? { url } : {}))];
  }
  const resource = resources
    .defaultResource()
    .merge(
      resources.resourceFromAttributes({
        [semconv.ATTR_SERVICE_NAME]: options.serviceName,
        'service.namespace': 'pacer',
      }),
    )
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over our defaults, as operators expect.
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors });
  // Only traceparent/tracestate: Pacer defines no baggage, so none is forwarded into Kafka headers.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const tracing: Tracing = {
    serviceName: options.serviceName,
    flush: () => provider.forceFlush(),
    async shutdown() {
      if (active !== tracing) return;
      active = undefined;
      starting = undefined;
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  active = tracing;
  return tracing;
}

/** The tracer all Pacer spans are created with (a no-op tracer while tracing is off). */
export function pacerTracer(): Tracer {
  return trace.getTracer('pacer');
}

/**
 * Runs `run` with `span` active (as a child of `parent`, default the root context) and ends the span
 * when it settles; a throw is recorded on the span, which is marked failed, and rethrown.
 */
export async function runInSpan<T>(span: Span, run: () => Promise<T>, parent: Context = ROOT_CONTEXT): Promise<T> {
  try {
    return await context.with(trace.setSpan(parent, span), run);
  } catch (e) {
    span.recordException(e instanceof Error ? e : String(e));
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw e;
  } finally {
    span.end();
  }
}

/**
 * Writes the W3C context of `ctx` (default: the active one) into `headers` unless the caller already
 * set a `traceparent`. A no-op while tracing is off.
 */
export function injectTraceHeaders(
  headers: Record<string, string>,
  ctx: Context = context.active(),
): Record<string, string> {
  if (active && headers[TRACE_HEADERS.traceparent] === undefined) {
    propagation.inject(ctx, headers);
  }
  return headers;
}

/** The remote context carried by HTTP or Kafka headers (the root context while tracing is off). */
export function extractTraceContext(headers: Record<string, string | string[] | undefined>): Context {
  if (!active || headers[TRACE_HEADERS.traceparent] === undefined) {
    return ROOT_CONTEXT;
  }
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** Trace and span id of the active span, for log lines; undefined while tracing is off. */
export function currentTraceIds(ctx?: Context): { traceId: string; spanId: string } | undefined {
  if (!active) return undefined;
  const spanContext = trace.getSpanContext(ctx ?? context.active());
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}
