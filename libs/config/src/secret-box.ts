import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from './config';

/**
 * Secrets at rest (destination URLs, webhook signing secrets, CRM secrets): AES-256-GCM with one key
 * per deployment, read from `PACER_SECRETS_KEY` (base64 or hex of 32 bytes) or the file named by
 * `PACER_SECRETS_KEY_FILE` (a Kubernetes Secret mounted as a file). Shared by every service that
 * stores secrets, so one key and one format serve them all.
 */
export const SECRETS_KEY_VARIABLES = ['PACER_SECRETS_KEY', 'PACER_SECRETS_KEY_FILE'] as const;

// Development and tests only: a fixed key so a local database survives restarts. Production refuses
// to start without a real key (loadSecretsKey), so this never protects anything real.
const DEVELOPMENT_KEY = createHash('sha256').update('pacer-development-secrets-key').digest();

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function parseKey(text: string, variable: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(`invalid configuration: ${variable} must be 32 bytes as base64 or 64 hex digits`);
  }
  return key;
}

/** Reads the key once at boot; production without a key is a configuration error naming the variable. */
export function loadSecretsKey(env: NodeJS.ProcessEnv, production: boolean): Buffer {
  const inline = env['PACER_SECRETS_KEY'];
  const file = env['PACER_SECRETS_KEY_FILE'];
  if (inline && file) {
    throw new ConfigError('invalid configuration: set PACER_SECRETS_KEY or PACER_SECRETS_KEY_FILE, not both');
  }
  if (inline) return parseKey(inline, 'PACER_SECRETS_KEY');
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(`invalid configuration: PACER_SECRETS_KEY_FILE cannot be read (${(e as Error).message})`);
    }
    return parseKey(text, 'PACER_SECRETS_KEY_FILE');
  }
  if (production) {
    throw new ConfigError('invalid configuration: PACER_SECRETS_KEY or PACER_SECRETS_KEY_FILE is required in production');
  }
  return DEVELOPMENT_KEY;
}

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

/**
 * Seals short secrets as `v1:<base64(iv | tag | ciphertext)>`. `context` is bound as additional
 * authenticated data (e.g. `tenant:destination:url`), so a sealed value copied into another row or
 * field does not open there.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new SecretBoxError('an AES-256 key is 32 bytes');
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${FORMAT}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string, context: string): string {
    const [format, payload] = sealed.split(':', 2);
    if (format !== FORMAT || payload === undefined) throw new SecretBoxError(`unknown sealed format ${format ?? ''}`);
    const raw = Buffer.from(payload, 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('sealed value is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('sealed value does not open with this key and context');
    }
  }
}
