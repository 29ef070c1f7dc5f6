import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Everything infra downloads or runs lives here, outside the git work tree, so a `git clean` never
 * wipes a formatted broker and a fresh clone reuses what an earlier clone already fetched.
 */
export function cacheDir(): string {
  const fromEnv = process.env['PACER_CACHE_DIR']?.trim();
  return resolve(fromEnv ? fromEnv : join(homedir(), '.cache', 'pacer'));
}

/** The monorepo root, found by walking up so it works from sources, jest and the CLI alike. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`infra: no nx.json above ${__dirname}`);
    dir = parent;
  }
}

export interface KafkaPaths {
  /** Per-version jar directory: two versions can sit side by side while one is being tried. */
  libs: string;
  /** Broker state (config, data, logs, pid) shared across versions so an upgrade keeps its topics. */
  home: string;
  serverProperties: string;
  log4jConfig: string;
  dataDir: string;
  logsDir: string;
  brokerLog: string;
  /** JVM stdout/stderr: crashes before log4j is up (bad flags, OOM) only show here. */
  jvmOut: string;
  pidFile: string;
  lockFile: string;
}

export function kafkaPaths(version: string): KafkaPaths {
  const cache = cacheDir();
  return kafkaHomePaths(
    join(cache, `kafka-${version}`, 'libs'),
    join(cache, 'kafka'),
    join(cache, 'kafka.lock'),
  );
}

/** The layout of one broker's state under `home`; every broker (local, secured, sandbox) uses it. */
export function kafkaHomePaths(libs: string, home: string, lockFile: string): KafkaPaths {
  return {
    libs,
    home,
    serverProperties: join(home, 'config', 'server.properties'),
    log4jConfig: join(home, 'config', 'log4j2.xml'),
    dataDir: join(home, 'data'),
    logsDir: join(home, 'logs'),
    brokerLog: join(home, 'logs', 'server.log'),
    jvmOut: join(home, 'logs', 'jvm.out'),
    pidFile: join(home, 'kafka.pid'),
    lockFile,
  };
}
