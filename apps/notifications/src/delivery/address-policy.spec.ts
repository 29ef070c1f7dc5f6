import { refusedAddress, refusedUrl } from './address-policy';

const production = { allowLoopback: false };
const development = { allowLoopback: true };

describe('destination address policy (no SSRF)', () => {
  it.each(['10.1.2.3', '172.16.0.1', '192.168.1.1', '127.0.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '::ffff:a00:1', '::ffff:127.0.0.1'])(
    'refuses %s in production',
    (address) => {
      expect(refusedAddress(address, production)).toBeDefined();
    },
  );

  it.each(['8.8.8.8', '52.1.2.3', '2606:4700::1111'])('allows the public address %s', (address) => {
    expect(refusedAddress(address, production)).toBeUndefined();
  });

  it('allows loopback outside production only', () => {
    expect(refusedAddress('127.0.0.1', development)).toBeUndefined();
    expect(refusedAddress('::1', development)).toBeUndefined();
    expect(refusedAddress('10.0.0.1', development)).toBeDefined();
  });

  it('requires https in production and allows http to loopback elsewhere', () => {
    expect(refusedUrl('https://hooks.slack.com/services/T/B/X', production)).toBeUndefined();
    expect(refusedUrl('http://hooks.slack.com/services/T/B/X', production)).toBe('must be an https URL');
    expect(refusedUrl('http://127.0.0.1:8080/hook', production)).toBe('must be an https URL');
    expect(refusedUrl('http://127.0.0.1:8080/hook', development)).toBeUndefined();
    expect(refusedUrl('http://localhost:8080/hook', development)).toBeUndefined();
    expect(refusedUrl('http://example.com/hook', development)).toBe('must be an https URL');
  });

  it('refuses IP-literal hosts that are not public, credentials and other schemes', () => {
    expect(refusedUrl('https://169.254.169.254/latest/meta-data', production)).toMatch(/private, loopback, link-local/);
    expect(refusedUrl('https://[::1]/x', production)).toMatch(/loopback/);
    expect(refusedUrl('https://localhost/x', production)).toBe('must not point at localhost');
    expect(refusedUrl('https://user:pw@example.com/x', production)).toBe('must not carry credentials');
    expect(refusedUrl('ftp://example.com/x', production)).toBe('must be an https URL');
    expect(refusedUrl('not a url', production)).toBe('is not a URL');
  });
});
