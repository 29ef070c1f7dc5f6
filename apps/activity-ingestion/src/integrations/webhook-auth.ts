import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** HubSpot refuses to have its signatures honoured after five minutes; so do we. */
export const HUBSPOT_MAX_AGE_MS = 5 * 60 * 1000;

export type Verdict = { ok: true } | { ok: false; reason: string };

// HubSpot signs the URI with these characters decoded ("Decode any URL-encoded characters in the
// request URI" of its v3 validation steps lists exactly these).
const HUBSPOT_DECODED: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'",
  '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

export function hubspotUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => HUBSPOT_DECODED[m.toUpperCase()] ?? m);
}

/** `X-HubSpot-Signature-v3`: base64 HMAC-SHA256, keyed by the app's client secret, of method + URI + body + timestamp. */
export function hubspotSignatureV3(secret: string, method: string, uri: string, body: Buffer, timestamp: string): string {
  return createHmac('sha256', secret)
    .update(method.toUpperCase())
    .update(hubspotUri(uri))
    .update(body)
    .update(timestamp)
    .digest('base64');
}

/** Verifies a HubSpot v3 signature and its timestamp (older than five minutes, or as far ahead, is refused). */
export function verifyHubspotV3(input: {
  secret: string;
  method: string;
  uri: string;
  body: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  now: number;
}): Verdict {
  if (!input.signature) return { ok: false, reason: 'X-HubSpot-Signature-v3 is missing' };
  if (!input.timestamp || !/^\d{1,15}$/.test(input.timestamp)) {
    return { ok: false, reason: 'X-HubSpot-Request-Timestamp is missing or not epoch milliseconds' };
  }
  const age = input.now - Number(input.timestamp);
  if (age > HUBSPOT_MAX_AGE_MS || age < -HUBSPOT_MAX_AGE_MS) {
    return { ok: false, reason: 'X-HubSpot-Request-Timestamp is more than five minutes away from now' };
  }
  const expected = hubspotSignatureV3(input.secret, input.method, input.uri, input.body, input.timestamp);
  return constantTimeEqual(expected, input.signature) ? { ok: true } : { ok: false, reason: 'the signature does not match' };
}

/**
 * Compares a secret a caller sent with the stored one in time that does not depend on where they
 * differ (or on their lengths: both are hashed first).
 */
export function constantTimeEqual(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(given, 'utf8').digest();
  return timingSafeEqual(a, b);
}
