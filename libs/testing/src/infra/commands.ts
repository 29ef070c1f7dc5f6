import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Runs a command to completion. Never rejects: a missing binary or a timeout is a non-zero code. */
export function run(
  command: string,
  args: readonly string[],
  opts: CommandOptions = {},
): Promise<CommandResult> {
  return new Promise((done) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (result: CommandResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(result);
    };
    const child = spawn(command, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          child.kill('SIGKILL');
          finish({ code: -1, stdout, stderr: `${stderr}\n${command}: timed out after ${opts.timeoutMs}ms` });
        }, opts.timeoutMs)
      : undefined;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (err) => finish({ code: -1, stdout, stderr: `${stderr}${err.message}` }));
    child.on('close', (code) => finish({ code: code ?? -1, stdout, stderr }));
  });
}

export function runSync(command: string, args: readonly string[], opts: CommandOptions = {}): CommandResult {
  const result = spawnSync(command, args, {
    env: opts.env ?? process.env,
    cwd: opts.cwd,
    timeout: opts.timeoutMs,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const spawnError = result.error ? result.error.message : '';
  return {
    code: result.status ?? -1,
    stdout: result.stdout ?? '',
    stderr: `${result.stderr ?? ''}${spawnError}`,
  };
}

/** Throws with the tail of the output, which is where build tools put the reason they failed. */
export function assertOk(what: string, result: CommandResult): CommandResult {
  if (result.code === 0) return result;
  throw new Error(`${what} failed (exit ${result.code}):\n${tail(`${result.stdout}\n${result.stderr}`, 30)}`);
}

export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export function findExecutable(name: string, extraDirs: readonly string[] = []): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), ...extraDirs].filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}
