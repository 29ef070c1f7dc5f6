import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { ServiceConfig } from '@pacer/config';
import { createKafka, kafkaSecurityProblem } from '@pacer/messaging';
import { Logger } from '@pacer/observability';
import { LOGGER, SERVICE_CONFIG } from './tokens';

/** Why Kafka cannot be used right now, in words an operator can act on; `security` when retrying cannot fix it. */
export class KafkaUnavailableError extends Error {
  override readonly name = 'KafkaUnavailableError';
  constructor(
    message: string,
    readonly security: boolean,
  ) {
    super(message);
  }
}

/**
 * One-shot checks of the Kafka connection (its own client, no retries) for readiness and for the
 * consumers' start: a wrong password or an untrusted certificate is reported at once, with its cause,
 * instead of after the minute of retries a working client spends on a broker that is briefly away.
 */
@Injectable()
export class KafkaProbe implements OnModuleDestroy {
  private readonly kafka: Kafka;
  /** One connection shared by concurrent checks (readiness probes overlap when Kafka is slow). */
  private admin?: Promise<Admin>;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig, @Inject(LOGGER) logger: Logger) {
    this.kafka = createKafka({
      brokers: config.kafka.brokers,
      clientId: `${config.kafka.clientId}-probe`,
      logger,
      security: config.kafka.security,
      probe: true,
    });
  }

  /** Resolves when a broker answers a metadata request over the configured security; else a KafkaUnavailableError. */
  async check(): Promise<void> {
    try {
      this.admin ??= this.connect();
      await (await this.admin).describeCluster();
    } catch (e) {
      await this.reset();
      const problem = kafkaSecurityProblem(e, this.config.kafka.security);
      throw new KafkaUnavailableError(problem ?? (e instanceof Error ? e.message : String(e)), problem !== undefined);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.reset();
  }

  private async connect(): Promise<Admin> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      return admin;
    } catch (e) {
      await admin.disconnect().catch(() => undefined);
      throw e;
    }
  }

  private async reset(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
  }
}
