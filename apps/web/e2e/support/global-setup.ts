// Playwright global setup: starts the real stack (support/stack.ts) in its own process, because the
// services and libs need the workspace's TypeScript setup (swc, path aliases, decorators) rather than
// Playwright's loader, and hands its addresses to the test workers through the environment. The
// function it returns is the global teardown: stop the stack, which drops what it created.
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { FullConfig } from '@playwright/test';

const ROOT = path.resolve(__dirname, '../../../..');
const READY_MARK = 'PACER_E2E_READY ';
const START_TIMEOUT_MS = 10 * 60_000;

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/web/e2e/support/stack.ts'], {
    cwd: ROOT,
    env: process.env,
    // stdin stays open as a lifeline: the stack stops itself when this process dies.
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`the e2e stack was not ready within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((l) => l.startsWith(READY_MARK));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(READY_MARK.length)) as Record<string, unknown>);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the e2e stack exited with ${code} before it was ready`));
    });
  });
  process.env['PACER_E2E_BASE_URL'] = String(info['baseUrl']);
  process.env['PACER_E2E_STACK'] = JSON.stringify(info);
  return () => stopStack(child);
}

async function stopStack(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}
