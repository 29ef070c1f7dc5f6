import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { AttemptOutcome, outcomeOfStatus } from '../domain/retry-policy';
import { AddressPolicy, refusedAddress, refusedUrl } from './address-policy';

export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

class RefusedAddressError extends Error {
  override readonly name = 'RefusedAddressError';
}

/**
 * A DNS lookup that refuses names resolving to a forbidden address. The connection is made to the
 * very address checked here (Node connects to what `lookup` returns), so a DNS answer that changes
 * between a check and the connect (rebinding) cannot slip past; TLS still verifies the host name.
 */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.map((a) => refusedAddress(a.address, policy)).find((r) => r !== undefined);
      if (refused !== undefined || addresses.length === 0) {
        return callback(new RefusedAddressError(`${hostname} resolves to a refused address: ${refused ?? 'none'}`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  };
}

/**
 * One POST with a hard deadline (connect, TLS, response headers and body), no redirects followed,
 * and the destination's addresses checked at connect time. Never throws: the outcome says what
 * happened and whether trying again can help.
 */
export function send(request: OutboundRequest, policy: AddressPolicy, timeoutMs: number): Promise<AttemptOutcome> {
  const refused = refusedUrl(request.url, policy);
  if (refused) return Promise.resolve({ kind: 'permanent', error: `destination URL ${refused}` });
  const url = new URL(request.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // Node does not call `lookup` for an IP literal; refusedUrl has checked it above.
  const lookup = isIP(host) === 0 ? guardedLookup(policy) : undefined;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        lookup,
        agent: false,
      },
      (res) => {
        // The body is not needed; reading it lets the socket close cleanly. Cap what is kept.
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > 64 * 1024) res.destroy();
        });
        res.on('end', () => finish(outcomeOfStatus(res.statusCode ?? 0)));
        res.on('close', () => finish(outcomeOfStatus(res.statusCode ?? 0)));
        res.on('error', () => finish(outcomeOfStatus(res.statusCode ?? 0)));
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (e) => {
      if (e instanceof RefusedAddressError) finish({ kind: 'permanent', error: e.message });
      else finish({ kind: 'retry', error: e.message || e.name });
    });
    req.end(request.body);
  });
}
