/**
 * `npm run infra:secure -- up | down | status | env [SASL_SSL|SSL|MISNAMED|PLAINTEXT] [SCRAM-SHA-512|SCRAM-SHA-256|PLAIN]`:
 * the secured test broker of libs/testing/src/infra/kafka-secured.ts (SASL_SSL, mutual TLS, a
 * misnamed certificate) beside the shared plaintext one. `env` prints the variables a Pacer process
 * needs to use it, e.g. `set -a; eval "$(npm run -s infra:secure -- env)"; set +a`.
 */
import {
  ensureSecuredKafka,
  securedKafkaEnv,
  securedKafkaPaths,
  securedKafkaRunning,
  SecuredListener,
  stopSecuredKafka,
} from '../../libs/testing/src/infra/kafka-secured';
import { ensureTestPki } from '../../libs/testing/src/infra/test-pki';

const USAGE = 'usage: secure.ts up | down | status | env [SASL_SSL|SSL|MISNAMED|PLAINTEXT] [SCRAM-SHA-512|SCRAM-SHA-256|PLAIN]';
const LISTENERS: readonly SecuredListener[] = ['SASL_SSL', 'SSL', 'MISNAMED', 'PLAINTEXT'];
const MECHANISMS = ['SCRAM-SHA-512', 'SCRAM-SHA-256', 'PLAIN'] as const;

function printEnv(args: string[]): void {
  const listener = LISTENERS.find((l) => l === args[0]) ?? 'SASL_SSL';
  const mechanism = MECHANISMS.find((m) => m === args[1]) ?? 'SCRAM-SHA-512';
  const env = securedKafkaEnv(ensureTestPki(securedKafkaPaths().pkiDir), { listener, mechanism });
  process.stdout.write(Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
}

async function main(command: string | undefined, args: string[]): Promise<void> {
  switch (command) {
    case 'up': {
      const kafka = await ensureSecuredKafka();
      process.stdout.write(`${Object.entries(kafka.brokers).map(([l, b]) => `${l} ${b}`).join('\n')}\nCA ${kafka.pki.caFile}\n`);
      return;
    }
    case 'down':
      await stopSecuredKafka();
      return;
    case 'status': {
      const pid = securedKafkaRunning();
      process.stdout.write(pid ? `secured kafka running (pid ${pid})\n` : 'secured kafka not running\n');
      return;
    }
    case 'env':
      printEnv(args);
      return;
    default:
      throw new Error(USAGE);
  }
}

main(process.argv[2], process.argv.slice(3)).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`infra:secure: error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
