import { Command } from 'commander';
import { mintToken, Role, ROLES } from '@pacer/auth';
import { CliError, CliIo } from '../cli-io';

export interface TokenOptions {
  tenant: string;
  roles: string;
  rep?: string;
  subject?: string;
  expires: string;
}

/** Parses `admin,manager` into roles, refusing unknown ones by name. */
export function parseRoles(list: string): Role[] {
  const roles = list
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (roles.length === 0 || unknown.length > 0) {
    throw new CliError(
      `--roles takes a comma-separated list of ${ROLES.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`,
    );
  }
  return roles as Role[];
}

/** The HS256 secret tokens are signed with: PACER_JWT_SECRET, as the services read it. */
export function jwtSecret(env: NodeJS.ProcessEnv): string {
  const secret = env['PACER_JWT_SECRET'];
  if (!secret)
    throw new CliError('PACER_JWT_SECRET is not set: it is the secret the services verify tokens with');
  return secret;
}

export async function mintDevToken(options: TokenOptions, env: NodeJS.ProcessEnv): Promise<string> {
  const roles = parseRoles(options.roles);
  if (roles.includes('rep') && !options.rep)
    throw new CliError('a token with the rep role needs --rep <repId>');
  return mintToken({
    secret: jwtSecret(env),
    tenantId: options.tenant,
    roles,
    ...(options.rep ? { repId: options.rep } : {}),
    ...(options.subject ? { subject: options.subject } : {}),
    expiresIn: options.expires,
  });
}

/** `pacer token --tenant T --roles admin,manager [--rep R] [--expires 12h]`: prints a development JWT. */
export function tokenCommand(program: Command, io: CliIo): void {
  program
    .command('token')
    .description('print a development JWT signed with PACER_JWT_SECRET (HS256)')
    .requiredOption('--tenant <tenantId>', 'tenant (tid claim)')
    .requiredOption('--roles <roles>', `comma-separated roles: ${ROLES.join(', ')}`)
    .option('--rep <repId>', 'repId claim (required with the rep role)')
    .option('--subject <sub>', 'sub claim (default: the rep, else "dev")')
    .option('--expires <duration>', 'lifetime, e.g. 30m, 12h, 7d', '12h')
    .action(async (options: TokenOptions) => {
      io.stdout.write(`${await mintDevToken(options, io.env)}\n`);
    });
}
