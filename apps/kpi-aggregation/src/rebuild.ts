// Rebuilds the KPI read models from the topics, from outside the service (the CLI's `pacer kpi rebuild`):
//   node -r @swc-node/register apps/kpi-aggregation/src/rebuild.ts [--no-wait] [--timeout-seconds=600]
// It empties the read models in the service's database (configured by the same environment variables
// as the service), replays the topics itself and publishes what differs through the service's outbox.
// Running replicas keep consuming meanwhile (without publishing); if this process stops, one of them
// takes the replay over within a second.
import 'reflect-metadata';
import { setTimeout as delay } from 'node:timers/promises';
import { loadConfig } from '@pacer/config';
import { createKafka } from '@pacer/messaging';
import { createLogger } from '@pacer/observability';
import { createDataSource, runMigrations } from '@pacer/platform';
import { MIGRATIONS } from './migrations';
import { KpiRebuildRunner, readRebuildState, rebuildRemaining, RebuildState, startRebuild } from './rebuild/kpi-rebuild';

export interface RebuildOptions {
  env?: NodeJS.ProcessEnv;
  /** Wait for the replicas to finish (default true). */
  wait?: boolean;
  timeoutMs?: number;
  onProgress?: (status: RebuildState & { remaining: number }) => void;
}

/** Starts a KPI rebuild and (by default) waits until it has finished; returns the final state. */
export async function rebuildKpis(options: RebuildOptions = {}): Promise<RebuildState> {
  const config = loadConfig('kpi-aggregation', options.env ?? process.env);
  const logger = createLogger('kpi-aggregation-rebuild', config.logLevel);
  const dataSource = createDataSource(config.databaseUrl, MIGRATIONS, 'pacer-kpi-aggregation-rebuild');
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
    const kafka = createKafka({ brokers: config.kafka.brokers, clientId: `${config.kafka.clientId}-rebuild`, logger });
    let state = await startRebuild(dataSource, kafka, config.kafka.topicPrefix);
    if (options.wait === false) return state;
    const deadline = Date.now() + (options.timeoutMs ?? 600_000);
    const runner = new KpiRebuildRunner(dataSource, kafka, config.kafka.groupId, logger);
    const replay = runner.run();
    try {
      for (;;) {
        state = await readRebuildState(dataSource);
        options.onProgress?.({ ...state, remaining: rebuildRemaining(state) });
        if (!state.rebuilding) return state;
        if (Date.now() > deadline) throw new Error(`the rebuild (epoch ${state.epoch}) has ${rebuildRemaining(state)} messages left to replay`);
        await Promise.race([replay, delay(500)]);
      }
    } finally {
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
  rebuildKpis({
    wait: !args.includes('--no-wait'),
    ...(timeout ? { timeoutMs: Number(timeout.split('=')[1]) * 1000 } : {}),
    onProgress: (s) => process.stderr.write(`kpi rebuild epoch ${s.epoch}: ${s.rebuilding ? `${s.remaining} messages to replay` : 'done'}\n`),
  }).then(
    (state) => {
      process.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
      process.exit(0);
    },
    (e: unknown) => {
      process.stderr.write(`kpi rebuild failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
