import { isId } from '@pacer/sales-domain';

/** The keyset position after which the next page starts: (occurredAt as stored, activityId). */
export interface CursorPosition {
  occurredAt: string;
  activityId: string;
}

const STORED_INSTANT = /^\d{4,5}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Opaque to clients: base64url of a small JSON array, versioned so the format can change. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify(['v1', position.occurredAt, position.activityId]), 'utf8').toString(
    'base64url',
  );
}

/** The position, or undefined when the cursor was not produced by encodeCursor. */
export function decodeCursor(cursor: string): CursorPosition | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== 'v1') return undefined;
    const [, occurredAt, activityId] = parsed as unknown[];
    if (typeof occurredAt !== 'string' || !STORED_INSTANT.test(occurredAt)) return undefined;
    if (!isId(activityId)) return undefined;
    return { occurredAt, activityId };
  } catch {
    return undefined;
  }
}
