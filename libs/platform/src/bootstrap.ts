import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DestinationStream } from 'pino';
import { loadConfig, ServiceConfig, ServiceName } from '@pacer/config';
import { createValidationPipe, documentProblemResponses, ProblemFilter, useRequestInputGuard } from '@pacer/http';
import { createLogger, Logger, shutdownTracing, startTracing } from '@pacer/observability';
import { httpTelemetry } from './http-telemetry';
import { LifecycleService } from './lifecycle.service';
import { NestPinoLogger } from './nest-logger';

export interface ServiceDefinition {
  service: ServiceName;
  title: string;
  description: string;
  /**
   * Builds the root module from the validated config (so feature modules can read it at wiring time).
   * `env` is the environment the config was read from, for a service that validates variables of its own.
   */
  module: (config: ServiceConfig, logger: Logger, env: NodeJS.ProcessEnv) => DynamicModule;
}

export interface CreateServiceAppOptions {
  /**
   * Nest's own SIGTERM/SIGINT hooks (default true). `runService` turns them off and handles the
   * signals itself, so the shutdown order is ours and the process exits 0 when it went well.
   */
  shutdownHooks?: boolean;
  /** Where the JSON logs go (default stdout); tests capture them here. */
  logDestination?: DestinationStream;
}

/** The `service.name` of a service's spans unless OTEL_SERVICE_NAME says otherwise. */
export function tracingServiceName(service: ServiceName): string {
  return `pacer-${service}`;
}

/** Creates a configured (not yet listening) service; tests call this with their own environment. */
export async function createServiceApp(
  definition: ServiceDefinition,
  env: NodeJS.ProcessEnv = process.env,
  options: CreateServiceAppOptions = {},
): Promise<{ app: INestApplication; config: ServiceConfig; logger: Logger }> {
  const config = loadConfig(definition.service, env);
  if (config.tracing) {
    await startTracing({ serviceName: tracingServiceName(definition.service), endpoint: config.otlpEndpoint });
  }
  const logger = createLogger(definition.service, config.logLevel, options.logDestination);
  const app = await NestFactory.create<NestExpressApplication>(definition.module(config, logger, env), {
    logger: new NestPinoLogger(logger),
    bodyParser: false,
  });
  app.use(httpTelemetry(logger));
  useRequestInputGuard(app, { bodyLimit: config.http.bodyLimit });
  app.useGlobalFilters(new ProblemFilter(logger));
  app.useGlobalPipes(createValidationPipe());
  if (options.shutdownHooks ?? true) {
    app.enableShutdownHooks();
  }
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(definition.title).setDescription(definition.description).setVersion('1').addBearerAuth().build(),
  );
  SwaggerModule.setup('docs', app, documentProblemResponses(document), { jsonDocumentUrl: 'docs-json' });
  return { app, config, logger };
}

/**
 * Entry point of a service process: boots, listens, and exits non-zero on a boot failure. On
 * SIGTERM or SIGINT it shuts down gracefully (see LifecycleService) and exits 0, or exits 1 if that
 * fails or takes longer than PACER_SHUTDOWN_TIMEOUT_MS.
 */
export async function runService(definition: ServiceDefinition): Promise<void> {
  let started: Awaited<ReturnType<typeof createServiceApp>>;
  try {
    started = await createServiceApp(definition, process.env, { shutdownHooks: false });
    await started.app.listen(started.config.port, '0.0.0.0');
  } catch (e) {
    process.stderr.write(`${definition.service} failed to start: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
  }
  const { app, config, logger } = started;
  logger.info({ port: config.port }, `${definition.service} listening`);
  exitGracefullyOnSignals(app, config, logger);
}

function exitGracefullyOnSignals(app: INestApplication, config: ServiceConfig, logger: Logger): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      logger.warn({ signal }, 'already shutting down');
      return;
    }
    shuttingDown = true;
    setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'graceful shutdown timed out');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    void (async () => {
      try {
        await app.get(LifecycleService, { strict: false }).stopProcessing(signal);
        await app.close();
        await shutdownTracing();
        process.exit(0);
      } catch (e) {
        logger.error({ err: e }, 'graceful shutdown failed');
        process.exit(1);
      }
    })();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
