import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hubspotSignatureV3 } from '../src/integrations/webhook-auth';

const FIXTURES = join(__dirname, 'fixtures', 'crm');

/** A fixture file's exact text (signatures cover the bytes as sent). */
export function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

export interface CrmReply {
  status: number;
  contentType: string;
  text: string;
  body: any;
}

async function send(url: string, body: string, headers: Record<string, string>): Promise<CrmReply> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    // XML or empty: keep the text
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, body: parsed };
}

/** POSTs a body to a HubSpot webhook URL the way HubSpot does: signed v3 with a millisecond timestamp. */
export function postHubspot(
  baseUrl: string,
  tenantId: string,
  body: string,
  options: { secret: string; timestamp?: number; signature?: string | null },
): Promise<CrmReply> {
  const path = `/v1/integrations/hubspot/${tenantId}`;
  const timestamp = String(options.timestamp ?? Date.now());
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-hubspot-request-timestamp': timestamp };
  const signature = options.signature === undefined ? hubspotSignatureV3(options.secret, 'POST', baseUrl + path, Buffer.from(body), timestamp) : options.signature;
  if (signature !== null) headers['x-hubspot-signature-v3'] = signature;
  return send(baseUrl + path, body, headers);
}

/** POSTs a Salesforce callout (JSON with the secret header) or an Outbound Message (SOAP XML). */
export function postSalesforce(baseUrl: string, tenantId: string, body: string, options: { secret?: string; xml?: boolean } = {}): Promise<CrmReply> {
  const headers: Record<string, string> = { 'content-type': options.xml ? 'text/xml; charset=utf-8' : 'application/json' };
  if (options.xml) headers['soapaction'] = '""';
  if (options.secret !== undefined) headers['x-pacer-webhook-secret'] = options.secret;
  return send(`${baseUrl}/v1/integrations/salesforce/${tenantId}`, body, headers);
}
