import { readFileSync } from 'node:fs';
import { ConfigError } from './config';

/**
 * The TLS client settings Pacer uses (a subset of Node's `tls.ConnectionOptions`, so it fits
 * node-postgres, TypeORM and kafkajs alike): PEM strings, chain verification, optional name check.
 */
export interface TlsClientOptions {
  ca?: string;
  cert?: string;
  key?: string;
  passphrase?: string;
  rejectUnauthorized: boolean;
  /** Set only to skip the host name check (the chain is still verified when rejectUnauthorized). */
  checkServerIdentity?: () => undefined;
}

/**
 * A secret (a password, a PEM) from `NAME` or from the file named by `NAME_FILE` (a Kubernetes Secret
 * mounted as a file), undefined when neither is set. Both set is refused: which one wins would be a
 * guess, and a stale value silently winning is how credentials rotations go wrong.
 */
export function readSecretVariable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const inline = nonEmpty(env[name]);
  const file = nonEmpty(env[`${name}_FILE`]);
  if (inline !== undefined && file !== undefined) {
    throw new ConfigError(`invalid configuration: set ${name} or ${name}_FILE, not both`);
  }
  if (file === undefined) return inline;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`invalid configuration: ${name}_FILE names ${file}, which cannot be read (${code})`);
  }
  // Secrets written with `echo` or `kubectl create secret --from-file` usually end in a newline.
  const value = text.replace(/\r?\n$/, '');
  if (value === '') throw new ConfigError(`invalid configuration: ${name}_FILE names ${file}, which is empty`);
  return value;
}

/** A PEM secret (certificate, CA bundle, private key): the value must hold at least one PEM block of `kind`. */
export function readPemVariable(env: NodeJS.ProcessEnv, name: string, kind: 'CERTIFICATE' | 'PRIVATE KEY'): string | undefined {
  const value = readSecretVariable(env, name);
  if (value === undefined) return undefined;
  // "PRIVATE KEY" also matches "RSA PRIVATE KEY", "EC PRIVATE KEY" and "ENCRYPTED PRIVATE KEY".
  const block = new RegExp(`-----BEGIN [A-Z ]*${kind}-----`);
  if (!block.test(value)) {
    const from = nonEmpty(env[`${name}_FILE`]) ? `${name}_FILE (${env[`${name}_FILE`]})` : name;
    throw new ConfigError(`invalid configuration: ${from} holds no PEM ${kind} (expected -----BEGIN ...${kind}-----)`);
  }
  return value;
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
