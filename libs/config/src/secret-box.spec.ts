import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSecretsKey, SecretBox, SecretBoxError } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed in the same context, and the sealed text does not contain the secret', () => {
    const sealed = box.seal('https://hooks.slack.com/services/T0/B0/xyz', 't1:d1:url');
    expect(sealed.startsWith('v1:')).toBe(true);
    expect(sealed).not.toContain('hooks.slack.com');
    expect(box.open(sealed, 't1:d1:url')).toBe('https://hooks.slack.com/services/T0/B0/xyz');
  });

  it('seals the same text differently each time (fresh IV)', () => {
    expect(box.seal('s', 'c')).not.toBe(box.seal('s', 'c'));
  });

  it('refuses a value moved to another row or field', () => {
    const sealed = box.seal('secret', 't1:d1:secret');
    expect(() => box.open(sealed, 't2:d1:secret')).toThrow(SecretBoxError);
  });

  it('refuses a tampered value and one sealed under another key', () => {
    const sealed = box.seal('secret', 'c');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => box.open(`v1:${raw.toString('base64')}`, 'c')).toThrow(SecretBoxError);
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'c')).toThrow(SecretBoxError);
  });
});

describe('loadSecretsKey', () => {
  const key = randomBytes(32);

  it('reads base64 or hex from PACER_SECRETS_KEY', () => {
    expect(loadSecretsKey({ PACER_SECRETS_KEY: key.toString('base64') }, true)).toEqual(key);
    expect(loadSecretsKey({ PACER_SECRETS_KEY: key.toString('hex') }, true)).toEqual(key);
  });

  it('reads the key from PACER_SECRETS_KEY_FILE', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'pacer-key-')), 'key');
    writeFileSync(file, `${key.toString('base64')}\n`);
    expect(loadSecretsKey({ PACER_SECRETS_KEY_FILE: file }, true)).toEqual(key);
  });

  it('names the variable when the key is missing in production or has the wrong length', () => {
    expect(() => loadSecretsKey({}, true)).toThrow(/PACER_SECRETS_KEY or PACER_SECRETS_KEY_FILE is required in production/);
    expect(() => loadSecretsKey({ PACER_SECRETS_KEY: 'c2hvcnQ=' }, false)).toThrow(/PACER_SECRETS_KEY must be 32 bytes/);
  });

  it('uses a fixed development key outside production', () => {
    expect(loadSecretsKey({}, false)).toHaveLength(32);
  });
});
