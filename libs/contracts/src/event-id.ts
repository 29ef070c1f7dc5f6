import * as crypto from 'node:crypto';
import { createHash, randomUUID } from 'node:crypto';

// Fixed forever: changing it would change every derived id and make redeliveries look like new events.
const PACER_ID_NAMESPACE = '68d7bcd5-0deb-428d-9479-652a7c1ebc4a';
// Decoded once: this runs for every accepted activity.
const NAMESPACE_BYTES = Buffer.from(PACER_ID_NAMESPACE.replace(/-/g, ''), 'hex');

// crypto.hash (Node >= 20.12) hashes without building a Hash stream object, which costs more than
// the SHA-1 of a short name; this runs for every accepted activity. package.json allows Node 20.11.
const oneShotHash: typeof crypto.hash | undefined = (crypto as { hash?: typeof crypto.hash }).hash;

function sha1OneShot(name: string, hash: typeof crypto.hash): Buffer {
  const input = Buffer.allocUnsafe(NAMESPACE_BYTES.length + Buffer.byteLength(name, 'utf8'));
  NAMESPACE_BYTES.copy(input, 0);
  input.write(name, NAMESPACE_BYTES.length, 'utf8');
  return hash('sha1', input, 'buffer');
}

/**
 * A fresh random CloudEvents id (UUID v4). Use it only where the id is stored with the event before it
 * is published (an outbox row), so every redelivery re-sends the same id.
 */
export function newEventId(): string {
  return randomUUID();
}

/**
 * A name-based CloudEvents id (UUID v5) from the facts that identify an event, e.g.
 * `deterministicEventId(tenantId, kpiKey, String(revision))`. Use it for derived events a service may
 * compute again after a crash or a rebuild: the same facts give the same id, so consumers dedupe them.
 */
export function deterministicEventId(...parts: string[]): string {
  // JSON keeps the parts apart: ("a:b", "c") and ("a", "b:c") must not give the same id.
  const name = JSON.stringify(parts);
  const bytes = oneShotHash
    ? sha1OneShot(name, oneShotHash)
    : createHash('sha1').update(NAMESPACE_BYTES).update(name, 'utf8').digest();
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
