/**
 * `npm run infra:up | infra:down | infra:status`. A thin CLI: the logic lives in
 * libs/testing/src/infra so that the jest global setup runs exactly the same code.
 */
import { ensureInfra, formatStatus, infraStatus, stopInfra } from '../../libs/testing/src/infra';

const USAGE = 'usage: infra.ts up [--json] | down | status';

async function main(command: string | undefined): Promise<void> {
  switch (command) {
    case 'up': {
      const endpoints = await ensureInfra();
      if (process.argv.includes('--json')) {
        // Machine-readable for the jest global setup, which cannot load TypeScript path aliases itself.
        process.stdout.write(`${JSON.stringify(endpoints)}\n`);
        return;
      }
      process.stdout.write(
        `KAFKA_BROKERS=${endpoints.kafkaBrokers.join(',')} (${endpoints.kafkaMode})\n` +
          `DATABASE_SERVER=${endpoints.databaseServerUrl} (${endpoints.postgresMode})\n`,
      );
      return;
    }
    case 'down':
      await stopInfra();
      return;
    case 'status':
      process.stdout.write(`${formatStatus(await infraStatus()).join('\n')}\n`);
      return;
    default:
      throw new Error(USAGE);
  }
}

main(process.argv[2]).then(
  // Explicit exit: a lingering socket in a client library must not keep `npm run` hanging.
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`infra: error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
