import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mintToken } from '@pacer/auth';
import { ServiceName } from '@pacer/config';
import { TEST_JWT_SECRET, uniqueName } from '@pacer/testing';
import { fuzzService } from '../src/fuzz-runner';
import { listOperations, OpenApiDocument, successesWithoutSchema } from '../src/openapi-document';
import { FuzzedService, startServiceProcess } from '../src/service-process';

// The OpenAPI fuzz `npm test` runs (issue 12): each service as its own process, fuzzed from its own
// /docs-json by the TypeScript generator (valid and broken requests from fast-check, seeded), every
// response checked like Schemathesis checks it. Schemathesis itself runs only where it can be
// installed (api-fuzz.schemathesis-spec.ts, `npm run test:fuzz`).

const SOAK = process.env['PACER_FUZZ_SOAK'] === '1';
/**
 * Per service. About 500 requests a second on the shared two cores, so the four services take well
 * under the three minutes `npm test` allows them, with room for a slower CI machine.
 */
const DEFAULT_REQUESTS = 3_000;
const SOAK_REQUESTS = Number(process.env['PACER_FUZZ_SOAK_REQUESTS'] ?? 10_000);
const REQUESTS = SOAK
  ? Math.max(SOAK_REQUESTS, 10_000)
  : Number(process.env['PACER_FUZZ_REQUESTS'] ?? DEFAULT_REQUESTS);
const SEED = Number(process.env['PACER_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const SERVICES: ServiceName[] = ['activity-ingestion', 'sprint-planning', 'kpi-aggregation', 'commission', 'notifications'];

describe(`TypeScript OpenAPI fuzz of the five services (${REQUESTS} requests each, seed ${SEED})`, () => {
  const running: FuzzedService[] = [];
  const tenant = uniqueName('fuzz');
  let work: string;

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'pacer-openapi-fuzz-'));
  });

  afterAll(async () => {
    for (const svc of running) await svc.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.each(SERVICES)(
    '%s answers no 5xx and only documented responses',
    async (service) => {
      const started = Date.now();
      const svc = await startServiceProcess(service, path.join(work, `${service}.log`));
      running.push(svc);
      const doc = (await (await fetch(`${svc.baseUrl}/docs-json`)).json()) as OpenApiDocument;
      const tokens = {
        admin: await mintToken({ secret: TEST_JWT_SECRET, tenantId: tenant, roles: ['admin'] }),
        manager: await mintToken({
          secret: TEST_JWT_SECRET,
          tenantId: tenant,
          roles: ['manager'],
          repId: 'fuzz-manager',
        }),
        rep: await mintToken({
          secret: TEST_JWT_SECRET,
          tenantId: tenant,
          roles: ['rep'],
          repId: 'fuzz-rep',
        }),
      };
      const report = await fuzzService({ baseUrl: svc.baseUrl, doc, tokens, requests: REQUESTS, seed: SEED });
      await svc.stop();
      running.splice(running.indexOf(svc), 1);
      const ops = listOperations(doc);
      const unchecked = successesWithoutSchema(ops).map((op) => `${op.method} ${op.path}`);
      const failures = [...report.failures.entries()].map(
        ([key, f]) => `${key} (x${f.count}): ${f.reproduction}`,
      );
      process.stdout.write(
        [
          `openapi-fuzz ${service}: ${report.requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s, ${report.serverErrors} 5xx, ` +
            `statuses ${JSON.stringify(report.statuses)}, mutations ${JSON.stringify(report.mutations)}, valid requests' statuses ${JSON.stringify(report.validStatuses)}, seed ${SEED}`,
          `  ${unchecked.length} of ${ops.length} operations document a success without a body schema, so their 2xx bodies go unchecked${unchecked.length > 0 ? `: ${unchecked.join(', ')}` : ''}`,
          ...failures.map((f) => `  FAIL ${f}`),
          '',
        ].join('\n'),
      );
      expect(report.requests).toBeGreaterThanOrEqual(REQUESTS);
      expect({ serverErrors: report.serverErrors, failures }).toEqual({ serverErrors: 0, failures: [] });
    },
    SOAK ? 3_600_000 : 300_000,
  );
});
