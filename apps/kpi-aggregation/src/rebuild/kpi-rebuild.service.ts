import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ServiceConfig } from '@pacer/config';
import { Logger } from '@pacer/observability';
import { LOGGER, SERVICE_CONFIG } from '@pacer/platform';
import { kpiRebuilding } from '../observability/kpi.metrics';
import { KpiRebuildRunner, readRebuildState, rebuildRemaining, RebuildState, startRebuild } from './kpi-rebuild';

export interface RebuildStatus extends RebuildState {
  /** Messages still to replay before the rebuild can finish (0 when not rebuilding). */
  remaining: number;
}

const WATCH_INTERVAL_MS = 1_000;

/**
 * Starts rebuilds and makes sure one is always being replayed: a watcher on every replica runs the
 * replay when a rebuild is pending and no process holds the runner lock (the requesting replica, a
 * replica after that one died, or whichever replica first sees a rebuild the CLI started).
 */
@Injectable()
export class KpiRebuildService implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private runner?: KpiRebuildRunner;
  private running?: Promise<unknown>;

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

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.runner?.stop();
    await this.running?.catch(() => undefined);
  }

  async status(): Promise<RebuildStatus> {
    const state = await readRebuildState(this.dataSource);
    return { ...state, remaining: rebuildRemaining(state) };
  }

  /** Starts a rebuild and its replay in this replica; the live consumers go on without publishing until it ends. */
  async rebuild(): Promise<RebuildStatus> {
    const state = await startRebuild(this.dataSource, this.kafka, this.config.kafka.topicPrefix);
    kpiRebuilding.set(1);
    this.logger.info({ epoch: state.epoch, targets: state.targets.length, remaining: rebuildRemaining(state) }, 'KPI rebuild started');
    this.replay();
    return { ...state, remaining: rebuildRemaining(state) };
  }

  private async watch(): Promise<void> {
    if (this.running) return;
    try {
      const state = await readRebuildState(this.dataSource);
      kpiRebuilding.set(state.rebuilding ? 1 : 0);
      if (state.rebuilding) this.replay();
    } catch (err) {
      this.logger.warn({ err }, 'could not read the KPI rebuild state');
    }
  }

  private replay(): void {
    if (this.running) return;
    const runner = new KpiRebuildRunner(this.dataSource, this.kafka, this.config.kafka.groupId, this.logger.child({ component: 'kpi-rebuild' }));
    this.runner = runner;
    this.running = runner
      .run()
      .catch((err: unknown) => this.logger.error({ err }, 'KPI rebuild replay failed; the watcher retries'))
      .finally(() => {
        this.runner = undefined;
        this.running = undefined;
      });
  }
}
