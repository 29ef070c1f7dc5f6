import { ProblemException } from '@pacer/http';
import { readCrmSettings, secretContext, secretsOf } from './crm-settings';

const KEY = Buffer.alloc(32, 9).toString('base64');

describe('CRM settings from the environment', () => {
  it('starts in production without a secrets key, and its integrations then answer 503 secrets-key-missing', () => {
    const settings = readCrmSettings({}, true);
    expect(settings.secrets).toBeUndefined();
    const thrown = ((): unknown => {
      try {
        secretsOf(settings);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(ProblemException);
    expect((thrown as ProblemException).getStatus()).toBe(503);
    expect((thrown as ProblemException).code).toBe('secrets-key-missing');
  });

  it('seals with the configured key, bound to tenant and vendor', () => {
    const box = secretsOf(readCrmSettings({ PACER_SECRETS_KEY: KEY }, true));
    const sealed = box.seal('hs-client-secret', secretContext('acme', 'hubspot'));
    expect(sealed).not.toContain('hs-client-secret');
    expect(box.open(sealed, secretContext('acme', 'hubspot'))).toBe('hs-client-secret');
    expect(() => box.open(sealed, secretContext('globex', 'hubspot'))).toThrow();
  });

  it('refuses a key that is not 32 bytes and a public URL that is not http(s), naming the variable', () => {
    expect(() => readCrmSettings({ PACER_SECRETS_KEY: 'c2hvcnQ=' }, true)).toThrow(/PACER_SECRETS_KEY/);
    expect(() => readCrmSettings({ PACER_INTEGRATIONS_PUBLIC_URL: 'pacer.example.com' }, false)).toThrow(/PACER_INTEGRATIONS_PUBLIC_URL/);
    expect(readCrmSettings({ PACER_INTEGRATIONS_PUBLIC_URL: 'https://pacer.example.com/ingest/' }, false).publicUrl).toBe('https://pacer.example.com/ingest');
  });

  it('uses the development key outside production', () => {
    expect(readCrmSettings({}, false).secrets).toBeDefined();
  });
});
