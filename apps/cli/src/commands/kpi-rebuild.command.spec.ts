import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { JwtVerifier } from '@pacer/auth';
import { buildProgram } from '../program';
import { captureIo } from '../test-io';

const secret = 'cli-test-secret';

// The KPI service's rebuild itself is tested in apps/kpi-aggregation; here only what the CLI does
// with its answers: start, follow the progress until the replay is done, print the final status.
describe('pacer kpi rebuild', () => {
  let server: Server;
  let url: string;
  let polls: number;
  let seen: { method?: string; tenant?: string; roles?: string[] }[];

  beforeEach(async () => {
    polls = 0;
    seen = [];
    server = createServer((req, res) => {
      void new JwtVerifier({ secret }).verify((req.headers.authorization ?? '').replace('Bearer ', '')).then((p) => {
        seen.push({ method: req.method, tenant: p.tenantId, roles: p.roles });
        const rebuilding = req.method === 'POST' || ++polls < 3;
        res
          .writeHead(req.method === 'POST' ? 202 : 200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ epoch: 4, rebuilding, remaining: rebuilding ? 10 - polls : 0, completedAt: rebuilding ? null : 'x', republished: rebuilding ? null : 0 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('starts a rebuild with an admin token and waits until the replay has finished', async () => {
    const io = captureIo({ PACER_JWT_SECRET: secret });
    await buildProgram(io).parseAsync(['node', 'pacer', 'kpi', 'rebuild', '--url', url, '--tenant', 'acme']);
    expect(JSON.parse(io.out())).toMatchObject({ epoch: 4, rebuilding: false, republished: 0 });
    expect(seen.map((s) => s.method)).toEqual(['POST', 'GET', 'GET', 'GET']);
    expect(seen[0]).toMatchObject({ tenant: 'acme', roles: ['admin'] });
    expect(io.err()).toContain('rebuild 4 started');
  });

  it('returns at once with --no-wait', async () => {
    const io = captureIo({ PACER_JWT_SECRET: secret });
    await buildProgram(io).parseAsync(['node', 'pacer', 'kpi', 'rebuild', '--url', url, '--tenant', 'acme', '--no-wait']);
    expect(JSON.parse(io.out())).toMatchObject({ rebuilding: true });
    expect(seen).toHaveLength(1);
  });
});
