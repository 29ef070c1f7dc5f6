import { loadConfig } from '@pacer/config';
import { loadNotificationsConfig } from './notifications-config';

const KEY = Buffer.alloc(32, 1).toString('base64');

function load(env: Record<string, string>) {
  return loadNotificationsConfig(loadConfig('notifications', env), env);
}

describe('notifications configuration', () => {
  it('refuses to start in production without a secrets key, naming the variable', () => {
    expect(() => load({ NODE_ENV: 'production', PACER_JWT_SECRET: 's' })).toThrow(/PACER_SECRETS_KEY or PACER_SECRETS_KEY_FILE is required in production/);
  });

  it('allows loopback receivers outside production only', () => {
    expect(load({ NODE_ENV: 'production', PACER_JWT_SECRET: 's', PACER_SECRETS_KEY: KEY }).allowLoopback).toBe(false);
    expect(load({ NODE_ENV: 'development' }).allowLoopback).toBe(true);
  });

  it('names a bad tuning variable', () => {
    expect(() => load({ PACER_NOTIFY_TIMEOUT_MS: 'soon' })).toThrow(/PACER_NOTIFY_TIMEOUT_MS/);
    expect(() => load({ PACER_NOTIFY_MAX_ATTEMPTS: '0' })).toThrow(/PACER_NOTIFY_MAX_ATTEMPTS must be a positive integer/);
  });

  it('leases a claim for longer than an attempt can take', () => {
    const { delivery } = load({ PACER_NOTIFY_TIMEOUT_MS: '5000' });
    expect(delivery.claimMs).toBeGreaterThan(delivery.timeoutMs * 2);
  });
});
