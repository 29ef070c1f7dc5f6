/**
 * Keyset paging cursors: opaque to clients, a base64url JSON array of strings (the sort key of the
 * last row of the page, and for some services a leading format version such as `'v1'`).
 */
export function encodeKeysetCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/**
 * The parts of a cursor `encodeKeysetCursor` made, or undefined for anything else: exactly one part
 * per check, each a string its check accepts. The parts go into SQL as typed parameters, so the
 * checks are what turns a forged cursor into a 400 rather than a database error.
 */
export function decodeKeysetCursor(
  cursor: string,
  checks: readonly ((part: string) => boolean)[],
): string[] | undefined {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(parts) &&
      parts.length === checks.length &&
      parts.every((p, i) => typeof p === 'string' && checks[i]?.(p) === true)
    )
      return parts as string[];
  } catch {
    // not JSON: not a cursor of ours
  }
  return undefined;
}

/** A check for parts any string may fill. */
export const anyCursorPart = (): boolean => true;

/**
 * One page of a keyset query that fetched `limit + 1` rows: the first `limit` as items, and the
 * cursor after the last of them when the extra row shows there is more (else null).
 */
export function keysetPage<R, T>(
  rows: readonly R[],
  limit: number,
  view: (row: R) => T,
  keyOf: (row: R) => readonly string[],
): { items: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(view),
    nextCursor: rows.length > limit && last !== undefined ? encodeKeysetCursor(keyOf(last)) : null,
  };
}
