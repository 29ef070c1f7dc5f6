import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { loadConfig, ServiceConfig, ServiceName } from '@pacer/config';
import { createValidationPipe, ProblemFilter } from '@pacer/http';
import { createLogger, Logger } from '@pacer/observability';
import { httpTelemetry } from './http-telemetry';
import { NestPinoLogger } from './nest-logger';

export interface ServiceDefinition {
  service: ServiceName;
  title: string;
  description: string;
  /** Builds the root module from the validated config (so feature modules can read it at wiring time). */
  module: (config: ServiceConfig, logger: Logger) => DynamicModule;
}

/** Creates a configured (not yet listening) service; tests call this with their own environment. */
export async function createServiceApp(
  definition: ServiceDefinition,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ app: INestApplication; config: ServiceConfig; logger: Logger }> {
  const config = loadConfig(definition.service, env);
  const logger = createLogger(definition.service, config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(definition.module(config, logger), {
    logger: new NestPinoLogger(logger),
    bodyParser: false,
  });
  app.use(httpTelemetry(logger));
  app.useBodyParser('json', { limit: config.http.bodyLimit });
  app.useGlobalFilters(new ProblemFilter(logger));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(definition.title).setDescription(definition.description).setVersion('1').addBearerAuth().build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return { app, config, logger };
}

/** Entry point of a service process: boots, listens, and exits non-zero on a boot failure. */
export async function runService(definition: ServiceDefinition): Promise<void> {
  try {
    const { app, config, logger } = await createServiceApp(definition);
    await app.listen(config.port, '0.0.0.0');
    logger.info({ port: config.port }, `${definition.service} listening`);
  } catch (e) {
    process.stderr.write(`${definition.service} failed to start: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
  }
}
