import { Counter, Gauge, Histogram } from 'prom-client';
import { registry } from '@pacer/observability';

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

/** Set by the worker from the database at every scrape, so every replica reports the shared backlog. */
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

export const openBreakers = new Gauge({
  name: 'pacer_notification_open_breakers',
  help: 'Destinations whose circuit breaker is open or half-open',
  registers: [registry],
});
