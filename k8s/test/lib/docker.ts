/** Offline readers for docker-compose.yml, Dockerfile and .dockerignore (no Docker engine needed). */
import { isPlainObject } from './yaml-docs';

// ---- compose -------------------------------------------------------------------------------------

/**
 * Compose variable interpolation: `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$VAR`, and `$$` for
 * a literal `$`. Variables without a default are collected in `missing` (compose would substitute an
 * empty string and warn).
 */
export function interpolate(
  value: unknown,
  env: Record<string, string | undefined>,
  missing: string[],
): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (whole, braced?: string, op?: string, fallback?: string, bare?: string) => {
        if (whole === '$$') return '$';
        const name = (braced ?? bare) as string;
        const current = env[name];
        if (op === ':-') return current ? current : (fallback ?? '');
        if (op === '-') return current !== undefined ? current : (fallback ?? '');
        if (current === undefined) missing.push(name);
        return current ?? '';
      },
    );
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env, missing));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, missing)]));
  }
  return value;
}

/** A service's `environment` as a map, whether written as a mapping or as a list of KEY=VALUE. */
export function environmentOf(service: Record<string, any>): Record<string, string> {
  const env = service['environment'];
  if (env === undefined) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry: string) => {
        const i = entry.indexOf('=');
        return i < 0 ? [entry, ''] : [entry.slice(0, i), entry.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** `depends_on` as name -> condition (the short list form means service_started). */
export function dependsOn(service: Record<string, any>): Record<string, string> {
  const deps = service['depends_on'];
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d: string) => [d, 'service_started']));
  if (!isPlainObject(deps)) return {};
  return Object.fromEntries(
    Object.entries(deps).map(([k, v]) => [k, (v as any)?.['condition'] ?? 'service_started']),
  );
}

/** Published ports as host_ip:host:container strings (short syntax). */
export function portsOf(service: Record<string, any>): string[] {
  return (service['ports'] ?? []).map((p: unknown) =>
    isPlainObject(p) ? `${p['host_ip'] ?? ''}:${p['published']}:${p['target']}`.replace(/^:/, '') : String(p),
  );
}

// ---- Dockerfile ----------------------------------------------------------------------------------

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Instructions of a Dockerfile (continuations joined, comments dropped), grouped by build stage. */
export function parseDockerfile(text: string): { globalArgs: Instruction[]; stages: Stage[] } {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (current === '' && (line.trim().startsWith('#') || line.trim() === '')) continue;
    if (current !== '' && line.trim().startsWith('#')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push((current + line).trim());
    current = '';
  }
  if (current.trim() !== '') logical.push(current.trim());
  const globalArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const line of logical) {
    const match = /^(\S+)\s*(.*)$/s.exec(line);
    if (!match) continue;
    const instruction = {
      keyword: (match[1] as string).toUpperCase(),
      args: (match[2] as string).replace(/\s+/g, ' ').trim(),
    };
    if (instruction.keyword === 'FROM') {
      const [from, as, name] = instruction.args.split(' ');
      stages.push({
        from: from as string,
        ...(as?.toUpperCase() === 'AS' && name ? { name } : {}),
        instructions: [],
      });
    } else if (stages.length === 0) {
      globalArgs.push(instruction);
    } else {
      (stages[stages.length - 1] as Stage).instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

// ---- .dockerignore -------------------------------------------------------------------------------

function patternToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*' && pattern[i + 1] === '*') {
      // `**/` matches any number of directories, a trailing `**` anything
      out += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * Whether .dockerignore keeps `file` (a path relative to the build context) out of the context:
 * the last matching pattern wins, `!` re-includes, and a pattern matching a parent folder matches
 * everything below it.
 */
export function isDockerIgnored(dockerignore: string, file: string): boolean {
  const rules = dockerignore
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negated = l.startsWith('!');
      const pattern = (negated ? l.slice(1) : l).replace(/^\/+/, '').replace(/\/+$/, '');
      return { negated, re: patternToRegExp(pattern) };
    });
  const parts = file.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (prefixes.some((p) => rule.re.test(p))) ignored = !rule.negated;
  }
  return ignored;
}

/**
 * The heap flags the runtime stage sets in NODE_OPTIONS (`--max-old-space-size`, `--max-semi-space-size`,
 * in MB), i.e. what every container of the image runs with unless its environment overrides it.
 */
export function runtimeHeapFlags(dockerfile: string): { oldSpaceMb?: number; semiSpaceMb?: number } {
  const { stages } = parseDockerfile(dockerfile);
  const runtime = stages[stages.length - 1];
  const env = (runtime?.instructions ?? [])
    .filter((i) => i.keyword === 'ENV')
    .map((i) => i.args)
    .join(' ');
  const options = /NODE_OPTIONS=("[^"]*"|\S+)/.exec(env)?.[1]?.replace(/^"|"$/g, '') ?? '';
  const flag = (name: string): number | undefined => {
    const m = new RegExp(`--${name}=(\\d+)`).exec(options);
    return m ? Number(m[1]) : undefined;
  };
  return { oldSpaceMb: flag('max-old-space-size'), semiSpaceMb: flag('max-semi-space-size') };
}

/**
 * The node flags the runtime stage's CMD passes before the script: the V8 flags NODE_OPTIONS refuses
 * (`--heap-growing-percent`), which a Deployment overriding the command must repeat.
 */
export function runtimeCommandNodeFlags(dockerfile: string): string[] {
  const { stages } = parseDockerfile(dockerfile);
  const runtime = stages[stages.length - 1];
  const cmd = (runtime?.instructions ?? []).filter((i) => i.keyword === 'CMD').map((i) => i.args).join(' ');
  const words = /\bexec node ((?:--\S+\s+)*)dist\//.exec(cmd)?.[1] ?? '';
  return words.split(/\s+/).filter(Boolean);
}
