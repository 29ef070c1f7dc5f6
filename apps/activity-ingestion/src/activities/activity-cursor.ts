import { decodeKeysetCursor, encodeKeysetCursor } from '@pacer/http';
import { isId } from '@pacer/sales-domain';

/** The keyset position after which the next page starts: (occurredAt as stored, activityId). */
export interface CursorPosition {
  occurredAt: string;
  activityId: string;
}

const STORED_INSTANT = /^\d{4,5}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Opaque to clients: base64url of a small JSON array, versioned so the format can change. */
export function encodeCursor(position: CursorPosition): string {
  return encodeKeysetCursor(['v1', position.occurredAt, position.activityId]);
}

/** The position, or undefined when the cursor was not produced by encodeCursor. */
export function decodeCursor(cursor: string): CursorPosition | undefined {
  const parts = decodeKeysetCursor(cursor, [
    (v) => v === 'v1',
    (v) => STORED_INSTANT.test(v),
    (v) => isId(v),
  ]);
  if (parts === undefined) return undefined;
  const [, occurredAt, activityId] = parts as [string, string, string];
  return { occurredAt, activityId };
}
