import { Command } from 'commander';
import { mintToken, Role, ROLES } from '@pacer/auth';
import { CliError, CliIo } from '../cli-io';

export interface TokenOptions {
  /** Required for every role but `operator`, whose tokens carry no tenant. */
  tenant?: string;
  roles: string;
  rep?: string;
  /** The one team a `display` token shows. */
  team?: string;
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
  if (roles.includes('display') && !options.team)
    throw new CliError('a token with the display role needs --team <teamId> (the one team the screen shows)');
  if (roles.includes('display') && roles.length > 1)
    throw new CliError('the display role stands alone: a read-only screen takes no other role');
  if (options.team && !roles.includes('display'))
    throw new CliError('--team is the team of a display token: add the display role');
  if (roles.includes('operator')) {
    // An operator belongs to no tenant (SPEC §7); a tenant role beside it would give it one.
    if (options.tenant) throw new CliError('an operator token carries no tenant: drop --tenant');
    if (roles.length > 1)
      throw new CliError('the operator role stands alone: a tenant role would need a tenant');
  } else if (!options.tenant) {
    throw new CliError('--tenant <tenantId> is required (only an operator token has no tenant)');
  }
  return mintToken({
    secret: jwtSecret(env),
    ...(options.tenant ? { tenantId: options.tenant } : {}),
    roles,
    ...(options.rep ? { repId: options.rep } : {}),
    ...(options.team ? { teamId: options.team } : {}),
    ...(options.subject ? { subject: options.subject } : {}),
    expiresIn: options.expires,
  });
}

/**
 * `pacer token --tenant T --roles admin,manager [--rep R] [--expires 12h]`, `pacer token --tenant T
 * --roles display --team X` or `pacer token --roles operator`: prints a development JWT.
 */
export function tokenCommand(program: Command, io: CliIo): void {
  program
    .command('token')
    .description('print a development JWT signed with PACER_JWT_SECRET (HS256)')
    .option('--tenant <tenantId>', 'tenant (tid claim); required for every role but operator')
    .requiredOption('--roles <roles>', `comma-separated roles: ${ROLES.join(', ')}`)
    .option('--rep <repId>', 'repId claim (required with the rep role)')
    .option('--team <teamId>', 'teamId claim (required with the display role)')
    .option('--subject <sub>', 'sub claim (default: the rep, else "dev")')
    .option('--expires <duration>', 'lifetime, e.g. 30m, 12h, 7d', '12h')
    .action(async (options: TokenOptions) => {
      io.stdout.write(`${await mintDevToken(options, io.env)}\n`);
    });
}
