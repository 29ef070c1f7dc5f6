import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { extname } from 'node:path';
import { Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { mintToken } from '@pacer/auth';
import { CliError, CliIo } from '../cli-io';
import { jwtSecret } from './token.command';

export const DEFAULT_INGESTION_URL = 'http://127.0.0.1:3001';
const CONTENT_TYPES: Record<string, string> = { ndjson: 'application/x-ndjson', csv: 'text/csv' };
const EXTENSIONS: Record<string, 'ndjson' | 'csv'> = {
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.csv': 'csv',
};
/** How many rejected lines the human summary prints; `--json` prints the service's whole answer. */
const PRINTED_REJECTIONS = 20;

export interface ImportOptions {
  url: string;
  token?: string;
  tenant?: string;
  format?: string;
  json?: boolean;
  progress: boolean;
}

export interface ImportSummary {
  accepted: number;
  duplicates: number;
  rejected: {
    line: number;
    activityId?: string;
    reason?: string;
    errors: { path: string; message: string }[];
  }[];
  rejectedCount?: number;
  rejectedTruncated?: boolean;
}

/** The import content type from `--format` or the file extension. */
export function contentTypeFor(file: string, format?: string): string {
  const chosen = format ?? EXTENSIONS[extname(file).toLowerCase()];
  if (!chosen || !CONTENT_TYPES[chosen]) {
    throw new CliError(
      `cannot tell the format of ${file}: name it .ndjson, .jsonl or .csv, or pass --format ndjson|csv`,
    );
  }
  return CONTENT_TYPES[chosen] as string;
}

/** `--token`, else PACER_TOKEN, else a fresh ingest token for `--tenant` signed with PACER_JWT_SECRET. */
export async function resolveToken(
  options: Pick<ImportOptions, 'token' | 'tenant'>,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  if (options.token) return options.token;
  if (env['PACER_TOKEN']) return env['PACER_TOKEN'];
  if (options.tenant)
    return mintToken({
      secret: jwtSecret(env),
      tenantId: options.tenant,
      roles: ['ingest'],
      subject: 'pacer-cli',
      expiresIn: '2h',
    });
  throw new CliError('no token: pass --token, set PACER_TOKEN, or pass --tenant with PACER_JWT_SECRET set');
}

/** Counts bytes and newlines of what passes through, for the progress bar. */
class Counter extends Transform {
  bytes = 0;
  lines = 0;
  private last = 0x0a;

  constructor(private readonly onChunk: () => void) {
    super();
  }

  override _transform(chunk: Buffer, _: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) this.lines++;
    if (chunk.length > 0) this.last = chunk[chunk.length - 1] as number;
    this.onChunk();
    done(null, chunk);
  }

  /** Lines including a last one without a newline. */
  get totalLines(): number {
    return this.lines + (this.last === 0x0a ? 0 : 1);
  }
}

function humanSummary(summary: ImportSummary): string {
  const rejectedCount = summary.rejectedCount ?? summary.rejected.length;
  const out = [`accepted ${summary.accepted}, duplicates ${summary.duplicates}, rejected ${rejectedCount}`];
  for (const r of summary.rejected.slice(0, PRINTED_REJECTIONS)) {
    const errors = r.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
    out.push(
      `  line ${r.line}${r.activityId ? ` (${r.activityId})` : ''}${r.reason ? ` ${r.reason}` : ''}: ${errors}`,
    );
  }
  if (rejectedCount > PRINTED_REJECTIONS)
    out.push(`  … and ${rejectedCount - PRINTED_REJECTIONS} more (--json prints the service's whole answer)`);
  return `${out.join('\n')}\n`;
}

/**
 * Streams the file as the request body (never read whole), with a progress bar on stderr, and
 * resolves with the service's answer. The service reads as fast as it commits, so bytes sent track
 * bytes imported and the ETA is honest.
 */
export async function streamImport(
  file: string,
  options: ImportOptions,
  io: CliIo,
): Promise<{ status: number; body: unknown }> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new CliError(`cannot read ${file}`);
  }
  const contentType = contentTypeFor(file, options.format);
  const token = await resolveToken(options, io.env);
  let endpoint: URL;
  try {
    endpoint = new URL('/v1/activities/import', options.url);
  } catch {
    throw new CliError(`--url ${options.url} is not a URL`);
  }
  const started = Date.now();
  const bar = new SingleBar({
    stream: io.stderr,
    format:
      'importing {bar} {percentage}% | {lines} lines | {rate} lines/s | {sentMB}/{totalMB} MB | ETA {eta_formatted}',
    hideCursor: true,
    etaBuffer: 50,
    fps: 5,
  });
  const counter = new Counter(() => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    bar.update(counter.bytes, {
      lines: counter.lines,
      rate: Math.round(counter.lines / seconds),
      sentMB: (counter.bytes / 2 ** 20).toFixed(1),
    });
  });
  if (options.progress)
    bar.start(size, 0, { lines: 0, rate: 0, sentMB: '0.0', totalMB: (size / 2 ** 20).toFixed(1) });

  const client = endpoint.protocol === 'https:' ? https : http;
  const req = client.request(endpoint, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
  });
  const response = new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // keep the text
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
  });
  try {
    // A service that answers early (401, 415) stops reading: the upload then fails, the answer counts.
    const upload = pipeline(createReadStream(file, { highWaterMark: 256 * 1024 }), counter, req).catch(
      (e: unknown) => e,
    );
    const [result] = await Promise.all([response, upload]);
    return result;
  } catch (e) {
    throw new CliError(`import failed: ${e instanceof Error ? e.message : String(e)} (${endpoint.origin})`);
  } finally {
    if (options.progress) {
      bar.update(counter.bytes, { lines: counter.totalLines, sentMB: (counter.bytes / 2 ** 20).toFixed(1) });
      bar.stop();
    }
  }
}

/** `pacer import FILE.ndjson|FILE.csv [--url] [--token T | --tenant T]`. Exits 1 when lines were rejected. */
export function importCommand(program: Command, io: CliIo): void {
  program
    .command('import')
    .description('stream an NDJSON or CSV file of activities to the activity-ingestion import endpoint')
    .argument('<file>', 'a .ndjson/.jsonl or .csv file (CSV: header row first)')
    .option(
      '--url <url>',
      'activity-ingestion base URL',
      io.env['PACER_INGESTION_URL'] ?? DEFAULT_INGESTION_URL,
    )
    .option('--token <jwt>', 'bearer token (default: PACER_TOKEN)')
    .option(
      '--tenant <tenantId>',
      'mint an ingest token for this tenant with PACER_JWT_SECRET when no token is given',
    )
    .option('--format <format>', 'ndjson or csv, when the file extension does not say')
    .option('--json', "print the service's answer as JSON instead of a summary")
    .option('--no-progress', 'no progress bar')
    .action(async (file: string, options: ImportOptions) => {
      const { status, body } = await streamImport(file, options, io);
      if (status !== 202) {
        const detail =
          typeof body === 'object' && body !== null
            ? ((body as { detail?: string }).detail ?? JSON.stringify(body))
            : String(body);
        throw new CliError(`the service answered ${status}: ${detail}`);
      }
      const summary = body as ImportSummary;
      io.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : humanSummary(summary));
      if ((summary.rejectedCount ?? summary.rejected.length) > 0) io.exitCode = 1;
    });
}
