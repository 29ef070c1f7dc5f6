import { mkdirSync, openSync, closeSync, writeSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { isAlive, readPidFile } from './processes';
import { sleep } from './poll';

/**
 * Serialises infra work across processes: `npm start` and a jest run (or two jest workers' global
 * setups) may call ensureInfra at the same moment, and two brokers formatting one data dir would
 * corrupt it. The lock file holds the owner's pid so a lock left by a crashed process is taken over.
 */
export async function withFileLock<T>(
  file: string,
  what: string,
  fn: () => Promise<T>,
  timeoutMs = 300_000,
): Promise<T> {
  mkdirSync(dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readPidFile(file);
      if (owner === undefined) {
        // Created but its pid not yet written, or left empty by a crash: give the writer a moment.
        await sleep(200);
        if (readPidFile(file) === undefined) unlinkQuietly(file);
        continue;
      }
      if (!isAlive(owner)) {
        unlinkQuietly(file); // its owner died without releasing it
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what} lock held by pid ${owner} (${file})`);
      }
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    unlinkQuietly(file);
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // someone else cleaned it up
  }
}
