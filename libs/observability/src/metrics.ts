import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per process. Every Pacer metric is declared here so that names and labels
 * stay consistent across services (dashboards and KEDA triggers are written against them).
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpRequests = new Counter({
  name: 'pacer_http_requests_total',
  help: 'HTTP requests by route and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'pacer_http_request_duration_seconds',
  help: 'HTTP request latency',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

const consumerProgressRefreshers = new Set<() => void>();

/**
 * Registers a callback that brings the consumer progress gauges up to date; it runs at every scrape,
 * so an age is as fresh as the scrape and not as old as the last batch. Returns the unregister call.
 */
export function onConsumerMetricsCollect(refresh: () => void): () => void {
  consumerProgressRefreshers.add(refresh);
  return () => consumerProgressRefreshers.delete(refresh);
}

function refreshConsumerProgress(): void {
  for (const refresh of consumerProgressRefreshers) refresh();
}

export const consumerLag = new Gauge({
  name: 'pacer_consumer_lag',
  help: 'Messages between the next offset to apply and the partition high watermark (refreshed from the broker, also while no batch succeeds)',
  labelNames: ['group', 'topic', 'partition'] as const,
  registers: [registry],
  collect: refreshConsumerProgress,
});

export const consumerLastBatchAge = new Gauge({
  name: 'pacer_consumer_last_batch_age_seconds',
  help: 'While records wait on the partition: seconds since it last applied a batch or was seen caught up; 0 while nothing waits',
  labelNames: ['group', 'topic', 'partition'] as const,
  registers: [registry],
  collect: refreshConsumerProgress,
});

export const consumerBatchSize = new Histogram({
  name: 'pacer_consumer_batch_size',
  help: 'Messages applied per consumer batch transaction',
  labelNames: ['group'] as const,
  buckets: [1, 5, 10, 50, 100, 250, 500, 1000, 2500, 5000],
  registers: [registry],
});

export const consumerBatchDuration = new Histogram({
  name: 'pacer_consumer_batch_duration_seconds',
  help: 'Time to apply one consumer batch including its Postgres commit',
  labelNames: ['group'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const consumerMessages = new Counter({
  name: 'pacer_consumer_messages_total',
  help: 'Consumed messages by outcome (applied, duplicate, skipped, dead_lettered)',
  labelNames: ['group', 'topic', 'outcome'] as const,
  registers: [registry],
});

export const dlqMessages = new Counter({
  name: 'pacer_dlq_messages_total',
  help: 'Messages sent to the dead-letter topic',
  labelNames: ['group', 'topic'] as const,
  registers: [registry],
});

export const outboxBacklog = new Gauge({
  name: 'pacer_outbox_backlog',
  help: 'Outbox rows committed but not yet published, as of the last relay poll',
  registers: [registry],
});

export const outboxPublished = new Counter({
  name: 'pacer_outbox_published_total',
  help: 'Outbox rows published to Kafka',
  labelNames: ['topic'] as const,
  registers: [registry],
});

export const outboxPublishLatency = new Histogram({
  name: 'pacer_outbox_publish_latency_seconds',
  help: 'Time from outbox commit to broker acknowledgement',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const consumerRetries = new Counter({
  name: 'pacer_consumer_retries_total',
  help: 'Failed handler attempts that were retried or dead-lettered',
  labelNames: ['group', 'topic'] as const,
  registers: [registry],
});

export const consumerDedupePruned = new Counter({
  name: 'pacer_consumer_dedupe_pruned_total',
  help: 'Remembered event ids (processed_events rows) deleted after the dedupe retention',
  labelNames: ['group'] as const,
  registers: [registry],
});

export const consumerDedupePruneFailures = new Counter({
  name: 'pacer_consumer_dedupe_prune_failures_total',
  help: 'Runs of the dedupe pruning that failed (logged; retried at the next interval)',
  labelNames: ['group'] as const,
  registers: [registry],
});

let oldestOutboxRowAt: number | undefined;

/**
 * The relay reports the commit time of the oldest row it found waiting (undefined once the outbox
 * was read empty). The age is computed at scrape time, so it keeps growing while Kafka refuses every
 * publish, which is exactly when the relay cannot report anything new.
 */
export function setOldestOutboxRow(createdAt: Date | undefined): void {
  oldestOutboxRowAt = createdAt?.getTime();
}

export const outboxOldestAge = new Gauge({
  name: 'pacer_outbox_oldest_age_seconds',
  help: 'Seconds the oldest unpublished outbox row has waited (as of the last relay read, ageing at scrape time); 0 when the outbox was read empty; only the active relay reports',
  registers: [registry],
  collect() {
    this.set(oldestOutboxRowAt === undefined ? 0 : Math.max(0, (Date.now() - oldestOutboxRowAt) / 1000));
  },
});

export const readiness = new Gauge({
  name: 'pacer_ready',
  help: 'Result of the last GET /health/ready (1 ready, 0 not ready)',
  registers: [registry],
});

export const readinessChanges = new Counter({
  name: 'pacer_readiness_changes_total',
  help: 'Times GET /health/ready changed its answer (ready ↔ not ready); a steady rise is a flapping dependency',
  registers: [registry],
});

let lastReadiness: boolean | undefined;

/** Records one readiness answer; a change of answer (not the first answer) counts as a transition. */
export function recordReadiness(ready: boolean): void {
  if (lastReadiness !== undefined && lastReadiness !== ready) readinessChanges.inc();
  lastReadiness = ready;
  readiness.set(ready ? 1 : 0);
}

// Notifications (apps/notifications): delivery of Slack and webhook notifications from its outbox.

export const notificationsDelivered = new Counter({
  name: 'pacer_notifications_delivered_total',
  help: 'Notifications a receiver accepted (2xx), by destination kind and notification type',
  labelNames: ['kind', 'type'] as const,
  registers: [registry],
});

export const notificationsFailed = new Counter({
  name: 'pacer_notifications_failed_attempts_total',
  help: 'Failed delivery attempts by outcome: retry (will be tried again), gave_up (attempts exhausted), permanent (4xx, refused URL or address)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

export const notificationLatency = new Histogram({
  name: 'pacer_notification_delivery_latency_seconds',
  help: 'From the causing event being recorded (its recordedtime) to the receiver accepting the notification',
  labelNames: ['kind'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
  registers: [registry],
});

/** Set by the delivery worker from Postgres, so every replica reports the shared backlog. */
export const notificationBacklog = new Gauge({
  name: 'pacer_notification_backlog',
  help: 'Pending deliveries (due now or waiting for a retry), across all tenants',
  registers: [registry],
});

export const notificationOldestPendingAge = new Gauge({
  name: 'pacer_notification_oldest_pending_age_seconds',
  help: 'Age of the oldest pending delivery; grows while a receiver is down',
  registers: [registry],
});

export const notificationOpenBreakers = new Gauge({
  name: 'pacer_notification_open_breakers',
  help: 'Destinations whose circuit breaker is open or half-open',
  registers: [registry],
});
