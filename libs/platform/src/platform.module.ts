import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { AuthGuard, JwtVerifier } from '@pacer/auth';
import { ServiceConfig } from '@pacer/config';
import { EventStore } from '@pacer/event-store';
import { createKafka } from '@pacer/messaging';
import { Logger } from '@pacer/observability';
import { ConsumersService } from './consumers.service';
import { HealthController } from './health.controller';
import { KafkaProbe } from './kafka-probe.service';
import { LifecycleService } from './lifecycle.service';
import { createDataSource, runMigrations } from './migrate';
import { OutboxRelayService } from './outbox-relay.service';
import { PlatformOptions } from './platform-options';
import { LOGGER, SERVICE_CONFIG } from './tokens';

/**
 * Everything a Pacer service shares: config, logger, its own database (migrated at boot), Kafka,
 * the event store and outbox relay, discovered Kafka consumers, auth, health and metrics.
 */
@Global()
@Module({})
export class PlatformModule {
  static forService(options: PlatformOptions, config: ServiceConfig, logger: Logger): DynamicModule {
    return {
      module: PlatformModule,
      imports: [DiscoveryModule],
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        {
          provide: DataSource,
          useFactory: async () => {
            const ds = createDataSource(config.database, options.migrations, `pacer-${config.service}`);
            await ds.initialize();
            const applied = await runMigrations(ds);
            if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
            return ds;
          },
        },
        {
          provide: Kafka,
          useFactory: () => {
            logger.info({ kafka: config.kafka.security.summary, postgres: config.database.summary }, 'connection security');
            return createKafka({ brokers: config.kafka.brokers, clientId: config.kafka.clientId, logger, security: config.kafka.security });
          },
        },
        KafkaProbe,
        { provide: EventStore, useFactory: (ds: DataSource) => new EventStore(ds), inject: [DataSource] },
        { provide: JwtVerifier, useFactory: () => createVerifier(config, logger) },
        { provide: APP_GUARD, useClass: AuthGuard },
        OutboxRelayService,
        ConsumersService,
        LifecycleService,
      ],
      exports: [SERVICE_CONFIG, LOGGER, DataSource, Kafka, KafkaProbe, EventStore, JwtVerifier, OutboxRelayService],
    };
  }
}

/**
 * The bearer-token verifier. With single sign-on configured the issuer is discovered at boot without
 * holding the boot up: an issuer that is down is logged here, reported by /health/ready and retried,
 * so the service neither crash-loops nor looks healthy while it cannot accept a single token.
 */
function createVerifier(config: ServiceConfig, logger: Logger): JwtVerifier {
  const verifier = new JwtVerifier({ ...config.jwt, ...(config.oidc ? { oidc: config.oidc } : {}) });
  void verifier.oidc?.status().then((status) => {
    if (status.up) logger.info({ issuer: verifier.oidc?.issuer, jwksUri: status.jwksUri }, 'OIDC issuer discovered');
    else logger.error({ issuer: verifier.oidc?.issuer, reason: status.reason }, 'OIDC issuer not reachable: its tokens are refused (503) and /health/ready fails until it answers');
  });
  return verifier;
}
