import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
/** Node flags of the measured services (`--max-old-space-size=128`, `--trace-gc`, V8 flags NODE_OPTIONS refuses). */
const NODE_FLAGS = (process.env['BENCH_SERVICE_NODE_FLAGS'] ?? '').split(' ').filter(Boolean);
const flagsLabel = NODE_FLAGS.length > 0 ? ` ${NODE_FLAGS.join(' ')}` : '';

/** Node's arguments that start each measured service, and what they are. */
export interface ServiceBuild {
  entry(service: string): string[];
  label: string;
  cleanup(): void;
}

/**
 * How measured services run (after BENCH_SERVICE_NODE_FLAGS): their TypeScript through swc-node/register by default, or with
 * BENCH_SERVICE_BUILD=1 as the production image runs them (tools/build's swc-compiled JS, no runtime
 * compiler, which alone holds ~60 MB of RSS) — the build to measure memory on.
 */
export function serviceBuild(services: readonly string[]): ServiceBuild {
  if (!process.env['BENCH_SERVICE_BUILD']) {
    return {
      entry: (service) => [...NODE_FLAGS, '-r', '@swc-node/register', `apps/${service}/src/main.ts`],
      label: `swc-node/register${flagsLabel}`,
      cleanup: () => undefined,
    };
  }
  const out = mkdtempSync(path.join(os.tmpdir(), 'pacer-bench-build-'));
  execFileSync(
    process.execPath,
    ['tools/build/build.mjs', ...services.flatMap((s) => ['--service', s]), '--out', out],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(out, 'node_modules'));
  return {
    entry: (service) => [...NODE_FLAGS, path.join(out, `apps/${service}/src/main.js`)],
    label: `compiled (tools/build)${flagsLabel}`,
    cleanup: () => rmSync(out, { recursive: true, force: true }),
  };
}
