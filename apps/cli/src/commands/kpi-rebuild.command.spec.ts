import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { JwtVerifier } from '@pacer/auth';
import { buildProgram } from '../program';
import { captureIo } from '../test-io';

const secret = 'cli-test-secret';

// The KPI service's rebuild itself is tested in apps/kpi-aggregation; here only what the CLI asks for
// and does with the answers: start, follow the progress until it ends, print the final status.
describe('pacer kpi rebuild', () => {
  let server: Server;
  let url: string;
  let polls: number;
  let ending: 'completed' | 'failed';
  let seen: { method?: string; url?: string; tenant?: string; roles?: string[] }[];

  beforeEach(async () => {
    polls = 0;
    seen = [];
    ending = 'completed';
    server = createServer((req, res) => {
      void new JwtVerifier({ secret })
        .verify((req.headers.authorization ?? '').replace('Bearer ', ''))
        .then((p) => {
          seen.push({ method: req.method, url: req.url, tenant: p.tenantId, roles: p.roles });
          const rebuilding = req.method === 'POST' || ++polls < 3;
          const status = rebuilding ? 'running' : ending;
          res.writeHead(req.method === 'POST' ? 202 : 200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              scope: p.tenantId || '*',
              epoch: 4,
              status,
              phase: rebuilding ? 'activities' : 'done',
              rebuilding,
              remaining: rebuilding ? 10 - polls : 0,
              completedAt: status === 'completed' ? 'x' : null,
              reason: status === 'failed' ? 'injected' : null,
              republished: status === 'completed' ? 0 : null,
            }),
          );
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('rebuilds every tenant with an operator token (scope=all) and waits until it has completed', async () => {
    const io = captureIo({ PACER_JWT_SECRET: secret });
    await buildProgram(io).parseAsync(['node', 'pacer', 'kpi', 'rebuild', '--url', url]);
    expect(JSON.parse(io.out())).toMatchObject({
      scope: '*',
      status: 'completed',
      rebuilding: false,
      republished: 0,
    });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /v1/admin/rebuild?scope=all',
      'GET /v1/admin/rebuild?scope=all',
      'GET /v1/admin/rebuild?scope=all',
      'GET /v1/admin/rebuild?scope=all',
    ]);
    expect(seen[0]).toMatchObject({ tenant: '', roles: ['operator'] });
    expect(io.err()).toContain('rebuild 4 of every tenant started');
  });

  it('rebuilds one tenant with --tenant and an admin token for it', async () => {
    const io = captureIo({ PACER_JWT_SECRET: secret });
    await buildProgram(io).parseAsync(['node', 'pacer', 'kpi', 'rebuild', '--url', url, '--tenant', 'acme']);
    expect(JSON.parse(io.out())).toMatchObject({ scope: 'acme', status: 'completed' });
    expect(seen.map((s) => s.url)).toEqual([
      '/v1/admin/rebuild',
      '/v1/admin/rebuild',
      '/v1/admin/rebuild',
      '/v1/admin/rebuild',
    ]);
    expect(seen[0]).toMatchObject({ tenant: 'acme', roles: ['admin'] });
  });

  it('exits 1 with the reason of a rebuild that failed', async () => {
    ending = 'failed';
    const io = captureIo({ PACER_JWT_SECRET: secret });
    await expect(
      buildProgram(io).parseAsync(['node', 'pacer', 'kpi', 'rebuild', '--url', url, '--tenant', 'acme']),
    ).rejects.toMatchObject({
      exitCode: 1,
      message: expect.stringContaining('failed: injected'),
    });
  });

  it('returns at once with --no-wait', async () => {
    const io = captureIo({ PACER_JWT_SECRET: secret });
    await buildProgram(io).parseAsync([
      'node',
      'pacer',
      'kpi',
      'rebuild',
      '--url',
      url,
      '--tenant',
      'acme',
      '--no-wait',
    ]);
    expect(JSON.parse(io.out())).toMatchObject({ rebuilding: true });
    expect(seen).toHaveLength(1);
  });
});
