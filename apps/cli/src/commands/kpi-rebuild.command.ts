import { Command } from 'commander';
import { mintToken } from '@pacer/auth';
import { CliError, CliIo } from '../cli-io';
import { jwtSecret } from './token.command';

export const DEFAULT_KPI_URL = 'http://127.0.0.1:3003';

interface RebuildStatus {
  epoch: number;
  rebuilding: boolean;
  remaining: number;
  completedAt: string | null;
  republished: number | null;
}

export interface KpiRebuildOptions {
  url: string;
  token?: string;
  tenant?: string;
  wait: boolean;
  timeoutSeconds: string;
}

async function call(url: string, method: string, token: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the text for the message
  }
  return { status: res.status, body };
}

/**
 * `pacer kpi rebuild`: asks the KPI service to drop its read models and re-consume every input topic
 * from the beginning (SPEC §5), then follows the replay until it has finished.
 */
export async function runKpiRebuild(options: KpiRebuildOptions, io: CliIo): Promise<RebuildStatus> {
  const token =
    options.token ??
    io.env['PACER_TOKEN'] ??
    (options.tenant
      ? await mintToken({ secret: jwtSecret(io.env), tenantId: options.tenant, roles: ['admin'], subject: 'pacer-cli', expiresIn: '2h' })
      : undefined);
  if (!token) throw new CliError('no token: pass --token, set PACER_TOKEN, or pass --tenant with PACER_JWT_SECRET set');
  const endpoint = `${options.url.replace(/\/$/, '')}/v1/admin/rebuild`;
  const started = await call(endpoint, 'POST', token);
  if (started.status !== 202) throw new CliError(`rebuild refused: HTTP ${started.status} ${JSON.stringify(started.body)}`, 1);
  let status = started.body as RebuildStatus;
  io.stderr.write(`rebuild ${status.epoch} started: ${status.remaining} messages to replay\n`);
  const deadline = Date.now() + Number(options.timeoutSeconds) * 1000;
  while (options.wait && status.rebuilding) {
    if (Date.now() > deadline) throw new CliError(`rebuild ${status.epoch} still running after ${options.timeoutSeconds} s`, 1);
    await new Promise((r) => setTimeout(r, 1000));
    const polled = await call(endpoint, 'GET', token);
    if (polled.status !== 200) throw new CliError(`rebuild status: HTTP ${polled.status} ${JSON.stringify(polled.body)}`, 1);
    status = polled.body as RebuildStatus;
    io.stderr.write(`rebuild ${status.epoch}: ${status.remaining} messages to go\n`);
  }
  io.stdout.write(`${JSON.stringify(status)}\n`);
  return status;
}

export function kpiRebuildCommand(program: Command, io: CliIo): void {
  const kpi = program.command('kpi').description('KPI aggregation administration');
  kpi
    .command('rebuild')
    .description('rebuild every KPI read model from the topics and wait until the replay has finished')
    .option('--url <url>', 'KPI service base URL', DEFAULT_KPI_URL)
    .option('--token <jwt>', 'admin bearer token (else PACER_TOKEN, else minted for --tenant)')
    .option('--tenant <tenantId>', 'mint an admin token for this tenant with PACER_JWT_SECRET')
    .option('--no-wait', 'return once the rebuild has started')
    .option('--timeout-seconds <n>', 'give up waiting after this long', '3600')
    .action(async (options: KpiRebuildOptions) => {
      await runKpiRebuild(options, io);
    });
}
