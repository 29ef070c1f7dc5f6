import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApiError, localServiceUrls, PacerClient } from './pacer-client';

describe('PacerClient', () => {
  let server: Server;
  let seen: { method?: string; url?: string; auth?: string; body: string }[];
  let port: number;

  beforeAll(async () => {
    seen = [];
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
        if (req.url?.startsWith('/v1/teams/t1/sprints')) {
          res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sprintId: 's-1' }));
        } else {
          res.writeHead(400, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ errors: [{ path: 'name', message: 'required' }] }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = (): PacerClient =>
    new PacerClient(localServiceUrls({ 'sprint-planning': port, commission: port }), 'tok');

  it('sends the bearer token and JSON body and reads the created id', async () => {
    await expect(client().createSprint('t1', { startDate: '2026-11-23', lengthDays: 7, goal: 'g' })).resolves.toBe('s-1');
    expect(seen.at(-1)).toEqual({ method: 'POST', url: '/v1/teams/t1/sprints', auth: 'Bearer tok', body: '{"startDate":"2026-11-23","lengthDays":7,"goal":"g"}' });
  });

  it('throws ApiError carrying the problem document, unless the status is accepted', async () => {
    const err = await client().putQuota('r1', 'FY2027-Q1', '10.00').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).body).toEqual({ errors: [{ path: 'name', message: 'required' }] });
    await expect(client().statement('r1', 'FY2027-Q1', { accept: [400] })).resolves.toMatchObject({ status: 400 });
  });
});
