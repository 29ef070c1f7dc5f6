// The web app's server (SPEC §8): one origin for the browser app, its session, the services' APIs and
// the live KPI stream. Run from source like the services: node -r @swc-node/register apps/web/server/main.ts
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { createKafka, kafkaSecurityProblem } from '@pacer/messaging';
import { createLogger } from '@pacer/observability';
import { createWebApp } from './app';
import { loadWebConfig } from './config/web-config';
import { KpiFeed } from './live/kpi-feed';

const ROOT = path.resolve(__dirname, '../../..');
// From source the browser app is in <repo>/dist/apps/web/public; in the image the server itself runs
// from dist/apps/web/server, beside it.
const BUILT_APP = [path.resolve(__dirname, '../public'), path.join(ROOT, 'dist/apps/web/public')];

async function main(): Promise<void> {
  const config = loadWebConfig(process.env, {
    staticDir: BUILT_APP.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? (BUILT_APP[1] as string),
  });
  const logger = createLogger('web', config.logLevel);
  const kafka = createKafka({ brokers: config.kafka.brokers, clientId: config.kafka.clientId, logger, security: config.kafka.security });
  const feed = new KpiFeed(kafka, config.kafka.topicPrefix, logger);
  const { app, closeStreams } = createWebApp({ config, logger, live: feed });
  const server = createServer(app);
  // SSE streams are long; the defaults would cut idle keep-alive sockets, not these.
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  logger.info({ port: config.port, development: config.development, oidc: Boolean(config.oidc), staticDir: config.staticDir }, 'web listening');
  // The stream is not needed to serve pages or the APIs: Kafka being late only delays /health/ready.
  feed.start().catch((e: unknown) => {
    // A refused credential or certificate is named (and which variables to check), not just "did not start".
    const problem = kafkaSecurityProblem(e, config.kafka.security);
    logger.error({ err: e, ...(problem ? { problem } : {}) }, problem ? `kafka refused the connection, KPI feed not started: ${problem}` : 'KPI feed did not start');
  });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    logger.info('SIGTERM: closing streams and the server');
    server.close();
    closeStreams();
    const force = setTimeout(() => server.closeAllConnections(), 5_000);
    force.unref();
    void feed
      .stop()
      .catch((e: unknown) => logger.warn({ err: e }, 'KPI feed did not stop cleanly'))
      .finally(() => {
        server.closeAllConnections();
        process.exit(0);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`web failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
