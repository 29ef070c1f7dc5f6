// Jest global setup for integration tiers: brings up (or finds) the real Kafka and Postgres once and
// hands their addresses to the test workers through the environment. It runs the infra CLI in a child
// process because jest loads global setup outside its module registry, where the TypeScript path
// aliases (@pacer/*) do not resolve; the CLI runs exactly the same code as `npm run infra:up`.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async function globalSetup() {
  const root = path.resolve(__dirname, '../../..');
  const out = execFileSync(process.execPath, ['-r', '@swc-node/register', 'tools/infra/infra.ts', 'up', '--json'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    timeout: 15 * 60 * 1000,
  });
  const endpoints = JSON.parse(out.trim().split('\n').pop());
  process.env.KAFKA_BROKERS = endpoints.kafkaBrokers.join(',');
  process.env.PACER_TEST_DATABASE_SERVER_URL = endpoints.databaseServerUrl;
};
