import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { mintToken, Role } from '@pacer/auth';
import { ServiceName } from '@pacer/config';
import { TEST_JWT_SECRET, uniqueName } from '@pacer/testing';
import { FuzzTally, tallySchemathesisReport } from '../src/schemathesis-report';
import { FuzzedService, startServiceProcess } from '../src/service-process';

// OpenAPI-driven fuzz of the five services (issue 12) with Schemathesis, each service run as its own
// process: Schemathesis generates requests from each service's own /docs-json, valid and invalid, and
// fails on any 5xx or on a response the document does not describe. Not part of `npm test` (it needs
// Schemathesis from a Python index, see tools/fuzz/setup.sh): `npm run test:fuzz` runs it,
// PACER_FUZZ_EXAMPLES bounding the examples per operation; `npm run test:fuzz:soak` runs thousands of
// requests per service.

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const VENV = process.env['PACER_FUZZ_VENV'] ?? path.join(ROOT, '.venv-fuzz');
const SCHEMATHESIS = path.join(VENV, 'bin', 'schemathesis');
const SOAK = process.env['PACER_FUZZ_SOAK'] === '1';
const EXAMPLES = Number(process.env['PACER_FUZZ_EXAMPLES'] ?? (SOAK ? 100 : 3));
/** The soak repeats rounds (new seed each) until every service has answered at least this many requests. */
const SOAK_REQUESTS = Number(process.env['PACER_FUZZ_SOAK_REQUESTS'] ?? 10_000);
const SEED = Number(process.env['PACER_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'response_schema_conformance',
  'content_type_conformance',
];

const SERVICES: ServiceName[] = ['activity-ingestion', 'sprint-planning', 'kpi-aggregation', 'commission', 'notifications'];

// Admin reaches every operation, so it runs every phase (examples, coverage of boundary and invalid
// values, fuzzing, stateful); manager and rep add their 403/404 paths through the fuzzing phase.
const ROLES: { roles: Role[]; repId?: string; phases: string[] }[] = [
  { roles: ['admin'], phases: [] },
  { roles: ['manager'], repId: 'fuzz-manager', phases: ['--phases', 'fuzzing'] },
  { roles: ['rep'], repId: 'fuzz-rep', phases: ['--phases', 'fuzzing'] },
];

async function schemathesis(
  baseUrl: string,
  token: string,
  reportDir: string,
  phases: string[],
  seed: number,
): Promise<FuzzTally> {
  const args = [
    'run',
    `${baseUrl}/docs-json`,
    '--url',
    baseUrl,
    '--checks',
    CHECKS.join(','),
    '--max-examples',
    String(EXAMPLES),
    '--seed',
    String(seed),
    '--workers',
    '1',
    '--header',
    `Authorization: Bearer ${token}`,
    '--report',
    'ndjson',
    '--report-ndjson-path',
    path.join(reportDir, 'events.ndjson'),
    ...phases,
    '--no-color',
    '--warnings',
    'off',
    '--suppress-health-check',
    'all',
    // No example database in the work tree: a run is reproduced by its printed seed.
    '--generation-database',
    'none',
  ];
  // Schemathesis exits 1 when a check fails; the report says which, so the exit code is not needed.
  type Outcome = { stdout?: string; stderr?: string; code?: number };
  const run: Outcome = await execFileAsync(SCHEMATHESIS, args, {
    maxBuffer: 64 * 1024 * 1024,
    cwd: ROOT,
  }).catch((e: Outcome) => e);
  const report = path.join(reportDir, 'events.ndjson');
  if (!existsSync(report)) {
    throw new Error(
      `schemathesis wrote no report (exit ${String(run.code)}):\n${run.stdout ?? ''}\n${run.stderr ?? ''}`,
    );
  }
  return tallySchemathesisReport(report);
}

describe(`OpenAPI fuzz of the five services (${EXAMPLES} examples per operation, seed ${SEED})`, () => {
  const running: FuzzedService[] = [];
  const tenant = uniqueName('fuzz');
  let work: string;

  beforeAll(async () => {
    if (!existsSync(SCHEMATHESIS)) {
      await execFileAsync(path.join(ROOT, 'tools/fuzz/setup.sh'), [], { cwd: ROOT });
    }
    work = mkdtempSync(path.join(tmpdir(), 'pacer-fuzz-'));
  }, 600_000);

  afterAll(async () => {
    for (const svc of running) await svc.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.each(SERVICES)(
    '%s answers no 5xx and only documented responses',
    async (service) => {
      const svc = await startServiceProcess(service, path.join(work, `${service}.log`));
      running.push(svc);
      const total: FuzzTally = { requests: 0, serverErrors: 0, skipped: 0, statuses: {}, failures: [] };
      for (let round = 0; round === 0 || (SOAK && total.requests < SOAK_REQUESTS); round++) {
        for (const [i, who] of ROLES.entries()) {
          const token = await mintToken({
            secret: TEST_JWT_SECRET,
            tenantId: tenant,
            roles: who.roles,
            ...(who.repId ? { repId: who.repId } : {}),
          });
          const dir = path.join(work, `${service}-${round}-${i}`);
          const tally = await schemathesis(svc.baseUrl, token, dir, who.phases, SEED + round);
          rmSync(dir, { recursive: true, force: true });
          total.requests += tally.requests;
          total.serverErrors += tally.serverErrors;
          total.skipped += tally.skipped;
          for (const [status, n] of Object.entries(tally.statuses))
            total.statuses[status] = (total.statuses[status] ?? 0) + n;
          total.failures.push(...tally.failures.map((f) => `[${who.roles.join(',')}] ${f}`));
        }
      }
      await svc.stop();
      running.splice(running.indexOf(svc), 1);
      process.stdout.write(
        `api-fuzz ${service}: ${total.requests} requests, ${total.serverErrors} 5xx, ${total.skipped} operation runs Schemathesis could not generate, statuses ${JSON.stringify(total.statuses)}, seed ${SEED}\n`,
      );
      expect(total.requests).toBeGreaterThan(0);
      expect({ serverErrors: total.serverErrors, failures: [...new Set(total.failures)] }).toEqual({
        serverErrors: 0,
        failures: [],
      });
    },
    SOAK ? 3_600_000 : 300_000,
  );
});
