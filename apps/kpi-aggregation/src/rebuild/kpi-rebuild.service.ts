import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ServiceConfig } from '@pacer/config';
import { Logger } from '@pacer/observability';
import { AuditActor, LOGGER, SERVICE_CONFIG } from '@pacer/platform';
import { kpiRebuilding } from '../observability/kpi.metrics';
import {
  KpiRebuildRunner,
  readRebuild,
  rebuildRemaining,
  RebuildState,
  runningScopes,
  startRebuild,
} from './kpi-rebuild';

export interface RebuildStatus extends RebuildState {
  /** Messages still to replay before the rebuild can swap (0 when not rebuilding). */
  remaining: number;
  /** Inputs the live consumer parked for the rebuild that it has not folded yet. */
  parked: number;
}

const WATCH_INTERVAL_MS = 1_000;

/** Status of a rebuild as the API shows it. */
export async function rebuildStatus(dataSource: DataSource, scope: string): Promise<RebuildStatus> {
  const state = await readRebuild(dataSource, scope);
  const [row] = (await dataSource.query(`SELECT count(*)::int AS n FROM kpi_rebuild_inbox WHERE scope = $1`, [
    scope,
  ])) as { n: number }[];
  return { ...state, remaining: rebuildRemaining(state), parked: state.rebuilding ? (row?.n ?? 0) : 0 };
}

/**
 * Starts rebuilds and makes sure each running one is being replayed: a watcher on every replica runs
 * the replay of every running rebuild no process holds the runner lock of (the requesting replica, a
 * replica after that one died or restarted, or whichever replica first sees a rebuild the CLI started).
 */
@Injectable()
export class KpiRebuildService implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private readonly runners = new Map<string, { runner: KpiRebuildRunner; done: Promise<unknown> }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: Kafka,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.watch(), WATCH_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops the watcher and every replay in this process; their progress stays in Postgres. */
  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const running = [...this.runners.values()];
    await Promise.all(running.map((r) => r.runner.stop()));
    await Promise.all(running.map((r) => r.done.catch(() => undefined)));
  }

  status(scope: string): Promise<RebuildStatus> {
    return rebuildStatus(this.dataSource, scope);
  }

  /** Starts a rebuild of one tenant (or `*`) and its replay in this replica. */
  async rebuild(scope: string, actor?: AuditActor): Promise<RebuildStatus> {
    const state = await startRebuild(this.dataSource, this.kafka, this.config.kafka.topicPrefix, scope, actor);
    this.logger.info(
      { scope, epoch: state.epoch, remaining: rebuildRemaining(state) },
      'KPI rebuild started',
    );
    this.replay(scope);
    return this.status(scope);
  }

  private async watch(): Promise<void> {
    try {
      for (const scope of await runningScopes(this.dataSource)) this.replay(scope);
    } catch (err) {
      this.logger.warn({ err }, 'could not read the KPI rebuilds');
    }
  }

  private replay(scope: string): void {
    if (this.runners.has(scope) || !this.timer) return;
    const runner = new KpiRebuildRunner(
      this.dataSource,
      this.kafka,
      this.config.kafka.groupId,
      this.logger.child({ component: 'kpi-rebuild', scope }),
      scope,
    );
    const done = runner
      .run()
      .catch((err: unknown) =>
        this.logger.warn(
          { err, scope },
          'KPI rebuild run ended with an error; the watcher runs it again unless it has failed for good',
        ),
      )
      .finally(() => {
        this.runners.delete(scope);
        kpiRebuilding.set(this.runners.size);
      });
    this.runners.set(scope, { runner, done });
    kpiRebuilding.set(this.runners.size);
  }
}
