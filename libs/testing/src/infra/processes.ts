import { readFileSync, rmSync } from 'node:fs';
import { runSync } from './commands';
import { pollUntil } from './poll';

/** A zombie still accepts signal 0, and containers often lack an init that reaps it, hence /proc. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no /proc (macOS): signal 0 is the best we have
  }
}

export function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    const ps = runSync('ps', ['-o', 'command=', '-p', String(pid)]);
    return ps.code === 0 ? ps.stdout.trim() : undefined;
  }
}

export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function removeFile(file: string): void {
  rmSync(file, { force: true });
}

/** SIGTERM first so the broker shuts down cleanly (no log recovery on the next start), SIGKILL as a last resort. */
export async function terminate(pid: number, graceMs: number): Promise<'terminated' | 'killed'> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return 'terminated';
  }
  try {
    await pollUntil('process exit', async () => (isAlive(pid) ? undefined : true), {
      timeoutMs: graceMs,
      intervalMs: 250,
    });
    return 'terminated';
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await pollUntil('process exit after SIGKILL', async () => (isAlive(pid) ? undefined : true), {
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    return 'killed';
  }
}
