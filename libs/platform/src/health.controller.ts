import { Controller, Get, Header, HttpCode, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { JwtVerifier, Public } from '@pacer/auth';
import { ProblemException } from '@pacer/http';
import { recordReadiness, registry } from '@pacer/observability';
import { Logger } from '@pacer/observability';
import { ConsumersHealth, ConsumersService } from './consumers.service';
import { KafkaProbe } from './kafka-probe.service';
import { LOGGER } from './tokens';

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer in time`)), CHECK_TIMEOUT_MS).unref()),
  ]);
}

/**
 * Liveness says the process is running; readiness says it can serve: Postgres and Kafka answer, and
 * with single sign-on the issuer's discovery document has been read (without it no token is accepted).
 */
@ApiExcludeController()
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly kafkaProbe: KafkaProbe,
    private readonly consumers: ConsumersService,
    private readonly verifier: JwtVerifier,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, 'up'> }> {
    const failures: { path: string; message: string }[] = [];
    const oidc = this.verifier.oidc;
    await Promise.all([
      oidc &&
        withTimeout(oidc.status(), `the OIDC issuer ${oidc.issuer}`)
          .then((s) => (s.up ? undefined : s.reason))
          .catch((e: unknown) => String(e instanceof Error ? e.message : e))
          .then((reason) => {
            if (reason) failures.push({ path: 'oidc', message: reason });
          }),
      withTimeout(this.dataSource.query('SELECT 1'), 'postgres').catch((e: unknown) =>
        failures.push({ path: 'postgres', message: String(e instanceof Error ? e.message : e) }),
      ),
      // The probe names the cause (a refused password, an untrusted certificate) in the message.
      withTimeout(this.kafkaProbe.check(), 'kafka').catch((e: unknown) => {
        failures.push({ path: 'kafka', message: String(e instanceof Error ? e.message : e) });
      }),
    ]);
    recordReadiness(failures.length === 0);
    if (failures.length > 0) {
      this.logger.warn({ failures }, 'not ready');
      throw new ProblemException(503, 'not-ready', 'A dependency is unavailable.', { errors: failures });
    }
    return { status: 'ok', checks: { postgres: 'up', kafka: 'up', ...(oidc ? { oidc: 'up' as const } : {}) } };
  }

  /**
   * 503 naming the stalled group/partitions while a consumer has records waiting and applied nothing
   * for PACER_CONSUMER_STALL_SECONDS (or kafkajs gave up on it); 200 otherwise. Kept apart from
   * readiness on purpose: a stalled consumer must not take the HTTP API out of the load balancer.
   */
  @Get('health/consumers')
  consumersHealth(): ConsumersHealth & { status: 'ok' } {
    const health = this.consumers.health();
    if (health.stalled.length > 0) {
      throw new ProblemException(503, 'consumer-stalled', `${health.stalled.length} consumer partition(s) made no progress for over ${health.stallSeconds} s.`, {
        errors: health.stalled.map((s) => ({
          path: `${s.group}/${s.topic}/${s.partition}`,
          message: `${s.lag ?? 'unknown'} record(s) waiting for ${Math.round(s.waitingSeconds)} s${s.lastError ? `; last error: ${s.lastError}` : ''}`,
        })),
        stalled: health.stalled,
        consumers: health.consumers,
      });
    }
    return { status: 'ok', ...health };
  }

  @Get('metrics')
  @HttpCode(200)
  @Header('content-type', registry.contentType)
  metrics(): Promise<string> {
    return registry.metrics();
  }

}
