import { createServer, connect, Server, Socket } from 'node:net';
import { createTestDatabase, freePort, pollUntil, RunningService, startTestService, TestDatabase, testDatabaseServerUrl, uniqueName } from '@pacer/testing';
import { KpiAggregationService } from '../src/app.module';
import { token } from './support/kpi-service.fixture';

/**
 * A TCP relay between the service and Postgres that the test can cut: cutting closes the listener
 * and resets every open connection, which is what the service sees when Postgres dies or the
 * network drops (ECONNRESET / "Connection terminated", then ECONNREFUSED).
 */
class CuttablePostgres {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly port: number,
    private readonly upstream: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.upstream.port, this.upstream.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

describe('while Postgres is unreachable the API answers 503 with Retry-After, never 500', () => {
  let svc: RunningService;
  let db: TestDatabase;
  let relay: CuttablePostgres;

  beforeAll(async () => {
    db = await createTestDatabase('kpi_outage', []);
    await db.dataSource.destroy();
    const server = new URL(testDatabaseServerUrl());
    relay = new CuttablePostgres(await freePort(), { host: server.hostname, port: Number(server.port || 5432) });
    await relay.open();
    const url = new URL(db.url);
    url.host = `127.0.0.1:${relay.port}`;
    svc = await startTestService(KpiAggregationService, { DATABASE_URL: url.toString() });
  });

  afterAll(async () => {
    await relay?.open().catch(() => undefined);
    await svc?.close();
    await relay?.cut();
    await db?.drop();
  });

  it('answers 503 + Retry-After 1..5 while the connection is cut, and 200 again once it is back', async () => {
    const bearer = await token(uniqueName('outage'), ['admin']);
    const path = `${svc.baseUrl}/v1/kpis?scope=org&period=month&key=2026-11`;
    expect((await fetch(path, { headers: { authorization: `Bearer ${bearer}` } })).status).toBe(200);

    await relay.cut();
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(path, { headers: { authorization: `Bearer ${bearer}` } });
      statuses.push(res.status);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(5);
      const body = (await res.json()) as { type: string; status: number };
      expect(body).toMatchObject({ type: 'urn:pacer:problem:dependency-unavailable', status: 503 });
    }
    expect(statuses.filter((s) => s === 500)).toEqual([]);
    // Readiness says the same; liveness does not (restarting the process would not bring Postgres back).
    expect((await fetch(`${svc.baseUrl}/health/ready`)).status).toBe(503);
    expect((await fetch(`${svc.baseUrl}/health/live`)).status).toBe(200);

    await relay.open();
    await pollUntil(
      async () => (await fetch(path, { headers: { authorization: `Bearer ${bearer}` } })).status,
      (status) => status === 200,
      { timeoutMs: 20_000, what: 'the API back after the outage' },
    );
  });
});
