import { anyCursorPart, decodeKeysetCursor, encodeKeysetCursor, keysetPage } from './keyset-cursor';

describe('keyset cursors', () => {
  const isV1 = (v: string): boolean => v === 'v1';
  const isDigits = (v: string): boolean => /^\d+$/.test(v);

  it('give back the parts they were made of, when every check accepts them', () => {
    const cursor = encodeKeysetCursor(['v1', '2026-01-15T10:00:00.000Z', 'rep ä/€']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeKeysetCursor(cursor, [isV1, anyCursorPart, anyCursorPart])).toEqual([
      'v1',
      '2026-01-15T10:00:00.000Z',
      'rep ä/€',
    ]);
  });

  it('refuse a part a check rejects, a count other than the checks, non-strings and non-JSON', () => {
    expect(decodeKeysetCursor(encodeKeysetCursor(['v2', '1']), [isV1, isDigits])).toBeUndefined();
    expect(decodeKeysetCursor(encodeKeysetCursor(['v1', 'x']), [isV1, isDigits])).toBeUndefined();
    expect(decodeKeysetCursor(encodeKeysetCursor(['v1', '1', '2']), [isV1, isDigits])).toBeUndefined();
    expect(decodeKeysetCursor(encodeKeysetCursor(['v1']), [isV1, isDigits])).toBeUndefined();
    expect(
      decodeKeysetCursor(Buffer.from('["v1",1]').toString('base64url'), [isV1, anyCursorPart]),
    ).toBeUndefined();
    expect(decodeKeysetCursor(Buffer.from('{"a":1}').toString('base64url'), [anyCursorPart])).toBeUndefined();
    expect(decodeKeysetCursor('%%%not base64', [anyCursorPart])).toBeUndefined();
  });

  it('pages limit + 1 rows: the first limit as items, a cursor after the last only when there is more', () => {
    const rows = [{ k: 'a' }, { k: 'b' }, { k: 'c' }];
    const more = keysetPage(rows, 2, (r) => r.k.toUpperCase(), (r) => [r.k]);
    expect(more.items).toEqual(['A', 'B']);
    expect(decodeKeysetCursor(more.nextCursor ?? '', [anyCursorPart])).toEqual(['b']);
    expect(keysetPage(rows, 3, (r) => r.k, (r) => [r.k])).toEqual({ items: ['a', 'b', 'c'], nextCursor: null });
    expect(keysetPage([], 3, (r: { k: string }) => r.k, (r) => [r.k])).toEqual({ items: [], nextCursor: null });
  });
});
