import { cleanEnv, num } from 'envalid';
import { ConfigError, loadSecretsKey, ServiceConfig } from '@pacer/config';

/** What the notifications service reads beyond the shared service config. */
export interface NotificationsConfig {
  /** AES-256-GCM key for destination URLs and secrets. */
  secretsKey: Buffer;
  delivery: {
    /** How often the worker looks for due deliveries. */
    pollMs: number;
    /** Deliveries claimed per poll, and at most this many per destination. */
    batchSize: number;
    perDestination: number;
    /** One HTTP attempt's upper bound (connect + response). */
    timeoutMs: number;
    /** A claim this old is assumed to belong to a dead replica and is taken over. */
    claimMs: number;
    /** Backoff of attempt n: min(max, base × 2^(n-1)), full jitter in [half, whole]. */
    backoffBaseMs: number;
    backoffMaxMs: number;
    /** Attempts before a delivery is given up as failed. */
    maxAttempts: number;
    /** Consecutive failures that open a destination's breaker, and how long it stays open. */
    breakerThreshold: number;
    breakerOpenMs: number;
  };
  /** How often the midpoint scheduler looks for sprints whose midpoint has passed. */
  scheduler: { tickMs: number };
  /** Non-production only: deliver to loopback receivers (tests, a local receiver). */
  allowLoopback: boolean;
}

const NUMERIC_VARIABLES = [
  'PACER_NOTIFY_POLL_MS',
  'PACER_NOTIFY_BATCH_SIZE',
  'PACER_NOTIFY_PER_DESTINATION',
  'PACER_NOTIFY_TIMEOUT_MS',
  'PACER_NOTIFY_BACKOFF_BASE_MS',
  'PACER_NOTIFY_BACKOFF_MAX_MS',
  'PACER_NOTIFY_MAX_ATTEMPTS',
  'PACER_NOTIFY_BREAKER_THRESHOLD',
  'PACER_NOTIFY_BREAKER_OPEN_MS',
  'PACER_NOTIFY_SCHEDULER_TICK_MS',
] as const;

/** Validated once at boot; a bad value stops the service with a message naming the variable. */
export function loadNotificationsConfig(base: ServiceConfig, env: NodeJS.ProcessEnv): NotificationsConfig {
  const values = cleanEnv(
    env,
    {
      PACER_NOTIFY_POLL_MS: num({ default: 250 }),
      PACER_NOTIFY_BATCH_SIZE: num({ default: 100 }),
      PACER_NOTIFY_PER_DESTINATION: num({ default: 10 }),
      PACER_NOTIFY_TIMEOUT_MS: num({ default: 5_000 }),
      PACER_NOTIFY_BACKOFF_BASE_MS: num({ default: 2_000 }),
      PACER_NOTIFY_BACKOFF_MAX_MS: num({ default: 300_000 }),
      PACER_NOTIFY_MAX_ATTEMPTS: num({ default: 15 }),
      PACER_NOTIFY_BREAKER_THRESHOLD: num({ default: 5 }),
      PACER_NOTIFY_BREAKER_OPEN_MS: num({ default: 60_000 }),
      PACER_NOTIFY_SCHEDULER_TICK_MS: num({ default: 15_000 }),
    },
    {
      reporter: ({ errors }) => {
        const entries = Object.entries(errors as Record<string, Error | undefined>);
        if (entries.length > 0) {
          throw new ConfigError(
            `invalid configuration for notifications: ${entries.map(([n, e]) => `${n}: ${e?.message ?? 'invalid'}`).join('; ')}`,
          );
        }
      },
    },
  );
  for (const name of NUMERIC_VARIABLES) {
    const value = values[name];
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigError(`invalid configuration for notifications: ${name} must be a positive integer`);
    }
  }
  const timeoutMs = values.PACER_NOTIFY_TIMEOUT_MS;
  return {
    secretsKey: loadSecretsKey(env, base.production),
    delivery: {
      pollMs: values.PACER_NOTIFY_POLL_MS,
      batchSize: values.PACER_NOTIFY_BATCH_SIZE,
      perDestination: values.PACER_NOTIFY_PER_DESTINATION,
      timeoutMs,
      // Long enough that a live replica always finishes (or gives up on) an attempt first.
      claimMs: timeoutMs * 3 + 5_000,
      backoffBaseMs: values.PACER_NOTIFY_BACKOFF_BASE_MS,
      backoffMaxMs: values.PACER_NOTIFY_BACKOFF_MAX_MS,
      maxAttempts: values.PACER_NOTIFY_MAX_ATTEMPTS,
      breakerThreshold: values.PACER_NOTIFY_BREAKER_THRESHOLD,
      breakerOpenMs: values.PACER_NOTIFY_BREAKER_OPEN_MS,
    },
    scheduler: { tickMs: values.PACER_NOTIFY_SCHEDULER_TICK_MS },
    allowLoopback: !base.production,
  };
}

export const NOTIFICATIONS_CONFIG = Symbol('NOTIFICATIONS_CONFIG');

/** The variables above, for .env.example and the k8s ConfigMap checks. */
export const NOTIFICATIONS_CONFIG_VARIABLES = ['PACER_SECRETS_KEY', 'PACER_SECRETS_KEY_FILE', ...NUMERIC_VARIABLES] as const;
