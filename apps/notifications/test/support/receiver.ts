import { createHmac, timingSafeEqual } from 'node:crypto';
import http, { IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Received {
  at: number;
  path: string;
  headers: Record<string, string>;
  body: string;
  json: Record<string, unknown>;
  /** The status this receiver answered. */
  status: number;
}

/**
 * A real HTTP receiver on loopback, as a Slack or webhook endpoint would be. `failNext(n)` answers
 * 500 to the next n requests; `down()` resets every connection (no HTTP answer at all) until `up()`.
 * The port stays bound while down: a closed ephemeral port can be taken by another process within
 * the minute, which would then answer in the dead receiver's place.
 */
export class Receiver {
  readonly received: Received[] = [];
  private server?: Server;
  private failures = 0;
  private isDown = false;
  port = 0;

  async start(port = 0): Promise<this> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      if (this.isDown) socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  failNext(n: number): void {
    this.failures = n;
  }

  /** Accepted (2xx) requests only. */
  accepted(path?: string): Received[] {
    return this.received.filter((r) => r.status < 300 && (path === undefined || r.path === path));
  }

  async down(): Promise<void> {
    this.isDown = true;
    this.server?.closeAllConnections();
  }

  async up(): Promise<void> {
    this.isDown = false;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.isDown) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const status = this.failures > 0 ? 500 : 200;
    if (this.failures > 0) this.failures -= 1;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    this.received.push({ at: Date.now(), path: req.url ?? '', headers, body, json: JSON.parse(body) as Record<string, unknown>, status });
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'boom');
  }
}

/** The verification recipe of the README, as a receiver would write it. */
export function verifySignature(secret: string, r: Received, toleranceSeconds = 300): boolean {
  const timestamp = r.headers['x-pacer-timestamp'];
  const given = r.headers['x-pacer-signature'];
  if (!timestamp || !given?.startsWith('v1=')) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex'));
  const actual = Buffer.from(given.slice(3));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
