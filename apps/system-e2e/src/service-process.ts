import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, WriteStream } from 'node:fs';
import path from 'node:path';
import { ServiceName } from '@pacer/config';

const ROOT = path.resolve(__dirname, '../../..');

/** A free TCP port on 127.0.0.1 (the kernel picks it; the tiny race until the service binds is acceptable in tests). */

/**
 * One Pacer service as a real OS process (`node apps/<service>/src/main.ts`), as it runs in
 * production: its own pid to SIGKILL, its own connections, its own consumer-group membership.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private exit?: Promise<number | null>;
  private readonly log: WriteStream;
  private stopping = false;
  restarts = 0;
  /** Exits nobody asked for (a crash); with `supervise` each one is followed by a restart, as Kubernetes would. */
  crashes = 0;
  supervise = false;

  constructor(
    readonly service: ServiceName,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
    logFile: string,
    /** How node starts the service: its TypeScript through swc-node by default, or a compiled main.js. */
    private readonly entry: readonly string[] = ['-r', '@swc-node/register', `apps/${service}/src/main.ts`],
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    this.stopping = false;
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      throw new Error(`${this.service} is already running`);
    }
    const child = spawn(process.execPath, [...this.entry], {
      cwd: ROOT,
      env: { ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.once('exit', (code, signal) => {
      if (this.stopping || this.child !== child) return;
      this.crashes += 1;
      this.log.write(`\n[system-e2e] ${this.service} exited unexpectedly (${signal ?? code})\n`);
      if (this.supervise) setTimeout(() => this.child === child && !this.stopping && this.start(), 1_000);
    });
    this.child = child;
  }

  async waitReady(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.supervise && this.child?.exitCode !== null && this.child?.exitCode !== undefined) {
        throw new Error(`${this.service} exited with ${this.child.exitCode} before it was ready`);
      }
      const ok = await fetch(`${this.baseUrl}/health/ready`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`${this.service} not ready within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Sends `signal` and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return null;
    const child = this.child;
    // Detach first, so this exit is not mistaken for a crash.
    this.child = undefined;
    child.kill(signal);
    return (await this.exit) ?? null;
  }

  /** Kills and starts again; `wait: false` returns as soon as the new process is spawned. */
  async restart(signal: NodeJS.Signals = 'SIGKILL', options: { wait?: boolean } = {}): Promise<void> {
    await this.kill(signal);
    this.restarts += 1;
    this.start();
    if (options.wait !== false) await this.waitReady();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.kill('SIGTERM');
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }
}
