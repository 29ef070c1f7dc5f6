import { Command } from 'commander';
import { mintToken } from '@pacer/auth';
import { CliError, CliIo } from '../cli-io';
import { jwtSecret } from './token.command';

export const DEFAULT_KPI_URL = 'http://127.0.0.1:3003';

interface RebuildStatus {
  scope: string;
  epoch: number;
  status: 'idle' | 'running' | 'completed' | 'failed';
  phase: string;
  rebuilding: boolean;
  remaining: number;
  completedAt: string | null;
  reason: string | null;
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

/** The token to call with: --token, else PACER_TOKEN, else one minted (admin of --tenant, or operator). */
async function tokenFor(options: KpiRebuildOptions, io: CliIo): Promise<string> {
  const given = options.token ?? io.env['PACER_TOKEN'];
  if (given) return given;
  const secret = jwtSecret(io.env);
  return options.tenant
    ? mintToken({ secret, tenantId: options.tenant, roles: ['admin'], subject: 'pacer-cli', expiresIn: '2h' })
    : mintToken({ secret, roles: ['operator'], subject: 'pacer-cli', expiresIn: '2h' });
}

/**
 * `pacer kpi rebuild`: asks the KPI service to rebuild every tenant's KPI read models from the topics
 * (`scope=all`, an operator's rebuild), or one tenant's with `--tenant` (SPEC §5), then follows the
 * rebuild until it has completed — or failed, which exits 1 with the service's reason.
 */
export async function runKpiRebuild(options: KpiRebuildOptions, io: CliIo): Promise<RebuildStatus> {
  const token = await tokenFor(options, io);
  const endpoint = `${options.url.replace(/\/$/, '')}/v1/admin/rebuild${options.tenant ? '' : '?scope=all'}`;
  const what = options.tenant ? `tenant ${options.tenant}` : 'every tenant';
  const started = await call(endpoint, 'POST', token);
  if (started.status !== 202)
    throw new CliError(
      `rebuild of ${what} refused: HTTP ${started.status} ${JSON.stringify(started.body)}`,
      1,
    );
  let status = started.body as RebuildStatus;
  io.stderr.write(`rebuild ${status.epoch} of ${what} started: ${status.remaining} messages to replay\n`);
  const deadline = Date.now() + Number(options.timeoutSeconds) * 1000;
  while (options.wait && status.rebuilding) {
    if (Date.now() > deadline)
      throw new CliError(
        `rebuild ${status.epoch} of ${what} still running after ${options.timeoutSeconds} s`,
        1,
      );
    await new Promise((r) => setTimeout(r, 1000));
    const polled = await call(endpoint, 'GET', token);
    if (polled.status !== 200)
      throw new CliError(`rebuild status: HTTP ${polled.status} ${JSON.stringify(polled.body)}`, 1);
    status = polled.body as RebuildStatus;
    io.stderr.write(
      `rebuild ${status.epoch}: ${status.rebuilding ? `${status.phase}, ${status.remaining} messages to go` : status.status}\n`,
    );
  }
  io.stdout.write(`${JSON.stringify(status)}\n`);
  if (status.status === 'failed')
    throw new CliError(`rebuild ${status.epoch} of ${what} failed: ${status.reason ?? 'no reason given'}`, 1);
  return status;
}

export function kpiRebuildCommand(program: Command, io: CliIo): void {
  const kpi = program.command('kpi').description('KPI aggregation administration');
  kpi
    .command('rebuild')
    .description(
      'rebuild the KPI read models of every tenant (or of --tenant) from the topics and wait until it has completed',
    )
    .option('--url <url>', 'KPI service base URL', DEFAULT_KPI_URL)
    .option(
      '--token <jwt>',
      'bearer token: an operator for every tenant, an admin for --tenant (else PACER_TOKEN, else minted with PACER_JWT_SECRET)',
    )
    .option(
      '--tenant <tenantId>',
      'rebuild only this tenant (an admin token for it is minted if none is given)',
    )
    .option('--no-wait', 'return once the rebuild has started')
    .option('--timeout-seconds <n>', 'give up waiting after this long', '3600')
    .action(async (options: KpiRebuildOptions) => {
      await runKpiRebuild(options, io);
    });
}
