import { etagOf, parseIfMatch } from './if-match';

describe('If-Match', () => {
  it('reads strong, weak and bare versions; absent and * mean no precondition', () => {
    expect(parseIfMatch(etagOf(3))).toBe(3);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(parseIfMatch('7')).toBe(7);
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('*')).toBeUndefined();
    expect(() => parseIfMatch('"abc"')).toThrow(
      expect.objectContaining({ code: 'invalid-if-match', status: 400 }),
    );
  });
});
