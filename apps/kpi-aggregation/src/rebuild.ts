// Rebuilds the KPI read models from the topics, from outside the service:
//   node -r @swc-node/register apps/kpi-aggregation/src/rebuild.ts [--tenant=T] [--no-wait] [--timeout-seconds=600]
// Without --tenant it rebuilds every tenant (platform-wide, what an operator's scope=all does). It uses
// the service's database and topics (configured by the same environment variables as the service),
// replays into the shadow tables itself and swaps each tenant in; running replicas keep consuming and
// publishing meanwhile, and if this process stops, one of them takes the replay over within a second.
import 'reflect-metadata';
import { setTimeout as delay } from 'node:timers/promises';
import { loadConfig } from '@pacer/config';
import { createKafka, kafkaSecurityProblem } from '@pacer/messaging';
import { createLogger } from '@pacer/observability';
import { createDataSource, runMigrations } from '@pacer/platform';
import { MIGRATIONS } from './migrations';
import { ALL_TENANTS, KpiRebuildRunner, startRebuild } from './rebuild/kpi-rebuild';
import { rebuildStatus, RebuildStatus } from './rebuild/kpi-rebuild.service';

export interface RebuildOptions {
  env?: NodeJS.ProcessEnv;
  /** One tenant; every tenant when omitted. */
  tenant?: string;
  /** Wait for the rebuild to complete or fail (default true). */
  wait?: boolean;
  timeoutMs?: number;
  onProgress?: (status: RebuildStatus) => void;
}

/** Starts a KPI rebuild and (by default) waits until it has completed or failed; returns the final state. */
export async function rebuildKpis(options: RebuildOptions = {}): Promise<RebuildStatus> {
  const config = loadConfig('kpi-aggregation', options.env ?? process.env);
  const logger = createLogger('kpi-aggregation-rebuild', config.logLevel);
  const dataSource = createDataSource(config.database, MIGRATIONS, 'pacer-kpi-aggregation-rebuild');
  await dataSource.initialize();
  const scope = options.tenant ?? ALL_TENANTS;
  try {
    await runMigrations(dataSource);
    const kafka = createKafka({
      brokers: config.kafka.brokers,
      clientId: `${config.kafka.clientId}-rebuild`,
      logger,
      security: config.kafka.security,
    });
    await startRebuild(dataSource, kafka, config.kafka.topicPrefix, scope);
    let status = await rebuildStatus(dataSource, scope);
    if (options.wait === false) return status;
    const deadline = Date.now() + (options.timeoutMs ?? 600_000);
    const runner = new KpiRebuildRunner(dataSource, kafka, config.kafka.groupId, logger, scope);
    // A failed run is recorded and run again here, as a replica's watcher would, until it completes or fails for good.
    let stopping = false;
    const runUntilEnd = async (): Promise<void> => {
      while (!stopping) {
        const ran = await runner.run().catch(() => false);
        const state = await rebuildStatus(dataSource, scope);
        if (!state.rebuilding || (!ran && Date.now() > deadline)) return;
        await delay(ran ? 0 : 1_000);
      }
    };
    const replay = runUntilEnd();
    try {
      for (;;) {
        status = await rebuildStatus(dataSource, scope);
        options.onProgress?.(status);
        if (!status.rebuilding) return status;
        if (Date.now() > deadline)
          throw new Error(
            `the rebuild (${scope}, epoch ${status.epoch}) has ${status.remaining} messages left to replay`,
          );
        await Promise.race([replay, delay(500)]);
      }
    } finally {
      stopping = true;
      await runner.stop();
      // A replica may be running the replay instead (it took the lock first); either way it ends the rebuild.
      await replay.catch(() => undefined);
    }
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const timeout = args.find((a) => a.startsWith('--timeout-seconds='));
  const tenant = args.find((a) => a.startsWith('--tenant='));
  rebuildKpis({
    wait: !args.includes('--no-wait'),
    ...(timeout ? { timeoutMs: Number(timeout.split('=')[1]) * 1000 } : {}),
    ...(tenant ? { tenant: tenant.slice('--tenant='.length) } : {}),
    onProgress: (s) =>
      process.stderr.write(
        `kpi rebuild ${s.scope} epoch ${s.epoch}: ${s.rebuilding ? `${s.phase}, ${s.remaining} messages to replay` : s.status}\n`,
      ),
  }).then(
    (state) => {
      process.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
      process.exit(state.status === 'completed' ? 0 : 1);
    },
    (e: unknown) => {
      // A refused credential or certificate is named with the variables to check, as the services do.
      process.stderr.write(`kpi rebuild failed: ${kafkaSecurityProblem(e) ?? (e instanceof Error ? e.message : String(e))}\n`);
      process.exit(1);
    },
  );
}
