import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { loadKafkaSecurity } from './kafka-security';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----\n';
const dir = mkdtempSync(join(tmpdir(), 'pacer-kafka-security-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadKafkaSecurity', () => {
  it('is plaintext with neither TLS nor SASL when nothing is set', () => {
    expect(loadKafkaSecurity({})).toEqual({ protocol: 'PLAINTEXT', summary: 'PLAINTEXT' });
  });

  it('builds SASL_SSL with SCRAM-SHA-512, a CA file and a password file (a mounted Kubernetes Secret)', () => {
    const security = loadKafkaSecurity({
      KAFKA_SECURITY_PROTOCOL: 'sasl_ssl',
      KAFKA_SSL_CA_FILE: file('ca.pem', `${CA}\n`),
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'pacer',
      KAFKA_SASL_PASSWORD_FILE: file('password', 's3cret\n'),
    });
    expect(security.ssl).toEqual({ ca: CA, rejectUnauthorized: true });
    expect(security.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'pacer', password: 's3cret' });
    expect(security.summary).toBe('SASL_SSL, CA from KAFKA_SSL_CA, SASL SCRAM-SHA-512 as pacer');
    expect(security.summary).not.toContain('s3cret');
  });

  it('takes a client certificate and key for mutual TLS, and verifies host names unless told not to', () => {
    const security = loadKafkaSecurity({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT: CA, KAFKA_SSL_KEY: KEY, KAFKA_SSL_KEY_PASSWORD: 'kp' });
    expect(security.ssl).toMatchObject({ cert: CA, key: KEY, passphrase: 'kp', rejectUnauthorized: true });
    expect(security.ssl?.checkServerIdentity).toBeUndefined();
    expect(security.sasl).toBeUndefined();
    const unchecked = loadKafkaSecurity({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_VERIFY_HOSTNAME: 'false' });
    expect(unchecked.ssl?.rejectUnauthorized).toBe(true);
    expect(unchecked.ssl?.checkServerIdentity?.()).toBeUndefined();
    expect(unchecked.summary).toContain('hostname NOT verified');
  });

  it('speaks PLAIN and SCRAM-SHA-256 over SASL_PLAINTEXT without TLS', () => {
    const plain = loadKafkaSecurity({ KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', KAFKA_SASL_MECHANISM: 'PLAIN', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' });
    expect(plain.ssl).toBeUndefined();
    expect(plain.sasl).toEqual({ mechanism: 'plain', username: 'u', password: 'p' });
    const scram = loadKafkaSecurity({ KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' });
    expect(scram.sasl?.mechanism).toBe('scram-sha-256');
  });

  it.each([
    [{ KAFKA_SECURITY_PROTOCOL: 'TLS' }, /KAFKA_SECURITY_PROTOCOL must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL/],
    [{ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }, /KAFKA_SASL_MECHANISM is required/],
    [{ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'GSSAPI' }, /KAFKA_SASL_MECHANISM must be one of/],
    [{ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'PLAIN', KAFKA_SASL_USERNAME: 'u' }, /KAFKA_SASL_PASSWORD \(or KAFKA_SASL_PASSWORD_FILE\) is required/],
    [{ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'PLAIN', KAFKA_SASL_PASSWORD: 'p' }, /KAFKA_SASL_USERNAME/],
    [{ KAFKA_SASL_PASSWORD: 'p' }, /KAFKA_SASL_PASSWORD is set but KAFKA_SECURITY_PROTOCOL is PLAINTEXT/],
    [{ KAFKA_SSL_CA_FILE: '/etc/ca.pem' }, /KAFKA_SSL_CA is set but KAFKA_SECURITY_PROTOCOL is PLAINTEXT/],
    [{ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SASL_MECHANISM: 'PLAIN' }, /KAFKA_SASL_MECHANISM is set but KAFKA_SECURITY_PROTOCOL is SSL/],
    [{ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA: 'not a pem' }, /KAFKA_SSL_CA holds no PEM CERTIFICATE/],
    [{ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' }, /KAFKA_SSL_CA_FILE names \/nonexistent\/ca.pem, which cannot be read \(ENOENT\)/],
    [{ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA: CA, KAFKA_SSL_CA_FILE: '/etc/ca.pem' }, /set KAFKA_SSL_CA or KAFKA_SSL_CA_FILE, not both/],
    [{ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT: CA }, /KAFKA_SSL_CERT is set without KAFKA_SSL_KEY/],
    [{ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_KEY_PASSWORD: 'x' }, /KAFKA_SSL_KEY_PASSWORD is set without KAFKA_SSL_KEY/],
    [{ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_VERIFY_HOSTNAME: 'maybe' }, /KAFKA_SSL_VERIFY_HOSTNAME must be true or false/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadKafkaSecurity(env)).toThrow(ConfigError);
    expect(() => loadKafkaSecurity(env)).toThrow(message);
  });

  it('refuses an empty password file rather than authenticating with an empty password', () => {
    const env = { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'PLAIN', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: file('empty', '\n') };
    expect(() => loadKafkaSecurity(env)).toThrow(/KAFKA_SASL_PASSWORD_FILE names .*empty, which is empty/);
  });

  it('is part of every service config, and its errors name the service', () => {
    expect(loadConfig('commission', {}).kafka.security.protocol).toBe('PLAINTEXT');
    expect(() => loadConfig('commission', { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' })).toThrow(
      /^invalid configuration for commission: KAFKA_SASL_MECHANISM is required/,
    );
  });
});
