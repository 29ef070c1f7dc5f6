import { request } from 'node:http';
import { mintToken, Role } from '@pacer/auth';
import { TEST_JWT_SECRET } from '@pacer/testing';

export interface Reply {
  status: number;
  contentType: string;
  body: any;
}

/** A tiny HTTP client for the service under test, authenticated as one principal. */
export class ActivityClient {
  private constructor(
    private readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  static async as(baseUrl: string, tenantId: string, roles: Role[], repId?: string): Promise<ActivityClient> {
    return new ActivityClient(baseUrl, await mintToken({ secret: TEST_JWT_SECRET, tenantId, roles, repId }));
  }

  /** A caller with its own token subject: the actor audit entries and `recordedBy` name. */
  static async asSubject(
    baseUrl: string,
    tenantId: string,
    roles: Role[],
    subject: string,
    repId?: string,
  ): Promise<ActivityClient> {
    const token = await mintToken({
      secret: TEST_JWT_SECRET,
      tenantId,
      roles,
      subject,
      ...(repId ? { repId } : {}),
    });
    return new ActivityClient(baseUrl, token);
  }

  static anonymous(baseUrl: string, token?: string): ActivityClient {
    return new ActivityClient(baseUrl, token);
  }

  post(path: string, body: unknown, contentType = 'application/json'): Promise<Reply> {
    return this.send(
      'POST',
      path,
      typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
      contentType,
    );
  }

  get(path: string): Promise<Reply> {
    return this.send('GET', path);
  }

  async send(method: string, path: string, body?: string | Buffer, contentType?: string): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    if (contentType) headers['content-type'] = contentType;
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: parsed };
  }
}

/** POSTs a streamed body (never built whole in memory) and returns the parsed reply. */
export function postStream(
  url: string,
  token: string,
  contentType: string,
  body: NodeJS.ReadableStream,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // keep the text
          }
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: parsed,
          });
        });
      },
    );
    req.on('error', reject);
    body.pipe(req);
  });
}
