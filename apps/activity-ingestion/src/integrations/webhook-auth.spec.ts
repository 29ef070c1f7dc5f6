import { createHmac } from 'node:crypto';
import { constantTimeEqual, HUBSPOT_MAX_AGE_MS, hubspotSignatureV3, hubspotUri, verifyHubspotV3 } from './webhook-auth';

const secret = 'hubspot-client-secret-0123456789';
const uri = 'https://pacer.example.com/v1/integrations/hubspot/acme';
const body = Buffer.from('[{"eventId":1,"portalId":62515}]');
const now = 1_795_683_600_000;

function signed(overrides: Partial<Parameters<typeof verifyHubspotV3>[0]> = {}): Parameters<typeof verifyHubspotV3>[0] {
  const timestamp = String(now - 1000);
  return { secret, method: 'POST', uri, body, timestamp, signature: hubspotSignatureV3(secret, 'POST', uri, body, timestamp), now, ...overrides };
}

describe('HubSpot v3 signatures', () => {
  it('is base64 HMAC-SHA256 of method + URI + body + timestamp with the client secret (HubSpot\'s recipe, computed independently)', () => {
    const expected = createHmac('sha256', secret).update(`POST${uri}${body.toString()}1700000000000`).digest('base64');
    expect(hubspotSignatureV3(secret, 'POST', uri, body, '1700000000000')).toBe(expected);
  });

  it('accepts a fresh, correct signature', () => {
    expect(verifyHubspotV3(signed())).toEqual({ ok: true });
  });

  it('refuses another secret, another body, another URL, another method', () => {
    expect(verifyHubspotV3(signed({ secret: 'another-secret-of-some-length' })).ok).toBe(false);
    expect(verifyHubspotV3(signed({ body: Buffer.from('[]') })).ok).toBe(false);
    expect(verifyHubspotV3(signed({ uri: `${uri}x` })).ok).toBe(false);
    expect(verifyHubspotV3(signed({ method: 'PUT' })).ok).toBe(false);
  });

  it('refuses a timestamp older than five minutes (or as far ahead), and a missing header', () => {
    const stale = String(now - HUBSPOT_MAX_AGE_MS - 1);
    const staleSig = hubspotSignatureV3(secret, 'POST', uri, body, stale);
    expect(verifyHubspotV3(signed({ timestamp: stale, signature: staleSig }))).toEqual({ ok: false, reason: expect.stringMatching(/five minutes/) });
    const ahead = String(now + HUBSPOT_MAX_AGE_MS + 1);
    expect(verifyHubspotV3(signed({ timestamp: ahead, signature: hubspotSignatureV3(secret, 'POST', uri, body, ahead) })).ok).toBe(false);
    expect(verifyHubspotV3(signed({ signature: undefined })).ok).toBe(false);
    expect(verifyHubspotV3(signed({ timestamp: 'yesterday' })).ok).toBe(false);
  });

  it('decodes the URL-encoded characters HubSpot decodes before signing', () => {
    expect(hubspotUri('https://h/v1/integrations/hubspot/a%3Ab%2Fc?x=%40y%20z')).toBe('https://h/v1/integrations/hubspot/a:b/c?x=@y%20z');
  });
});

describe('secret comparison', () => {
  it('is equality, whatever the lengths', () => {
    expect(constantTimeEqual('s3cret-value', 's3cret-value')).toBe(true);
    expect(constantTimeEqual('s3cret-value', 's3cret-valu')).toBe(false);
    expect(constantTimeEqual('s3cret-value', '')).toBe(false);
  });
});
