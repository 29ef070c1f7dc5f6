import http from 'node:http';
import fc from 'fast-check';
import { FuzzRequest, requestArbitrary } from './fuzz-request';
import { listOperations, OpenApiDocument, Operation } from './openapi-document';
import { FuzzResponse, ResponseChecker } from './response-checks';

/** What fuzzing one service found. */
export interface FuzzReport {
  requests: number;
  serverErrors: number;
  statuses: Record<string, number>;
  /** Mutations sent, by kind before the colon (`valid`, `body`, `query`, ...). */
  mutations: Record<string, number>;
  /** Statuses of the schema-valid requests alone: how deep valid input gets past the services' own rules. */
  validStatuses: Record<string, number>;
  /** One entry per distinct (check, method, path, status), with a short reproduction of its first case. */
  failures: Map<string, { count: number; reproduction: string }>;
}

export interface FuzzOptions {
  baseUrl: string;
  doc: OpenApiDocument;
  /** Bearer tokens by role; requests go round-robin over them. */
  tokens: Record<string, string>;
  requests: number;
  seed: number;
  /** Requests in flight at once. */
  concurrency?: number;
}

// alg "none" with an admin claim: a service that trusted it would be the finding.
const FORGED_TOKEN =
  'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4Iiwicm9sZXMiOlsiYWRtaW4iXSwidGVuYW50SWQiOiJ4In0.';
const CHUNK = 50;
const TIMEOUT_MS = 30_000;

/** Sends one request as generated: raw path, any or no Content-Type, body as given. */
export function send(
  baseUrl: string,
  request: FuzzRequest,
  token: string | undefined,
  agent: http.Agent,
): Promise<FuzzResponse> {
  const url = new URL(baseUrl);
  const headers: Record<string, string> = { ...request.headers };
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.target,
        headers,
        agent,
        timeout: TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no response within ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(request.body);
  });
}

/** A short curl line that replays the request (long bodies cut, their length said). */
export function reproduction(baseUrl: string, request: FuzzRequest, role: string): string {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const parts = [`curl -X ${request.method} ${quote(baseUrl + request.target)}`];
  for (const [k, v] of Object.entries(request.headers))
    if (k !== 'accept') parts.push(`-H ${quote(`${k}: ${v}`)}`);
  parts.push(
    request.auth === 'token' ? `-H 'authorization: Bearer <${role} token>'` : `# auth: ${request.auth}`,
  );
  if (request.body !== undefined) {
    const shown = JSON.stringify(request.body.length > 300 ? request.body.slice(0, 300) : request.body).slice(
      1,
      -1,
    );
    parts.push(
      `--data-raw ${quote(shown)}${request.body.length > 300 ? ` # ... ${request.body.length} chars` : ''}`,
    );
  }
  return `${parts.join(' ')}  (${request.mutation})`;
}

interface Job {
  op: Operation;
  role: string;
  request: FuzzRequest;
}

/** Seeds one operation's chunk of samples, so a run replays from the printed seed alone. */
function chunkSeed(seed: number, opIndex: number, chunk: number): number {
  return (seed ^ Math.imul(opIndex + 1, 0x9e3779b1) ^ Math.imul(chunk + 1, 0x85ebca6b)) | 0;
}

/**
 * Fuzzes every operation of `doc` with about `requests / operations` generated requests each, roles
 * in turn, and checks every response.
 */
export async function fuzzService(options: FuzzOptions): Promise<FuzzReport> {
  const ops = listOperations(options.doc);
  const checker = new ResponseChecker(options.doc);
  const roles = Object.keys(options.tokens);
  const perOp = Math.max(1, Math.ceil(options.requests / ops.length));
  const arbitraries = ops.map((op) => requestArbitrary(options.doc, op));
  const report: FuzzReport = {
    requests: 0,
    serverErrors: 0,
    statuses: {},
    mutations: {},
    validStatuses: {},
    failures: new Map(),
  };
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency ?? 4 });
  const record = (job: Job, status: string, failures: { check: string; message: string }[]): void => {
    report.requests++;
    report.statuses[status] = (report.statuses[status] ?? 0) + 1;
    const kind = job.request.mutation.split(':')[0] ?? job.request.mutation;
    report.mutations[kind] = (report.mutations[kind] ?? 0) + 1;
    if (kind === 'valid') report.validStatuses[status] = (report.validStatuses[status] ?? 0) + 1;
    for (const f of failures) {
      const key = `${f.check} ${job.op.method} ${job.op.path} ${status}`;
      const seen = report.failures.get(key);
      if (seen !== undefined) seen.count++;
      else
        report.failures.set(key, {
          count: 1,
          reproduction: `${f.message}; ${reproduction(options.baseUrl, job.request, job.role)}`,
        });
    }
  };
  try {
    for (let chunk = 0; chunk * CHUNK < perOp; chunk++) {
      const size = Math.min(CHUNK, perOp - chunk * CHUNK);
      const jobs: Job[] = [];
      for (const [i, op] of ops.entries()) {
        const samples = fc.sample(arbitraries[i] as fc.Arbitrary<FuzzRequest>, {
          seed: chunkSeed(options.seed, i, chunk),
          numRuns: size,
        });
        samples.forEach((request, j) =>
          jobs.push({ op, request, role: roles[(chunk * CHUNK + j) % roles.length] as string }),
        );
      }
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let job = jobs[next++]; job !== undefined; job = jobs[next++]) {
          const token =
            job.request.auth === 'token'
              ? options.tokens[job.role]
              : job.request.auth === 'garbage'
                ? FORGED_TOKEN
                : undefined;
          try {
            const response = await send(options.baseUrl, job.request, token, agent);
            if (response.status >= 500) report.serverErrors++;
            record(job, String(response.status), checker.check(job.op, response));
          } catch (e) {
            record(job, 'no-response', [
              { check: 'no_response', message: e instanceof Error ? e.message : String(e) },
            ]);
          }
        }
      };
      await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
    }
  } finally {
    agent.destroy();
  }
  return report;
}
