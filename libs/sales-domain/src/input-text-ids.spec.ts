import { isFreeText, isId } from './input-text';

describe('ids are 1–128 characters without control characters', () => {
  it.each(['a', 'rep-ana', 'x'.repeat(128), 'Ünïcødé-😀'.padEnd(128, 'x'), 'with space'])('accepts %s', (value) => {
    expect(isId(value)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['129 characters', 'x'.repeat(129)],
    ['300 characters', 'r'.repeat(300)],
    ['a NUL', 'rep\u0000ana'],
    ['a newline', 'rep\nana'],
    ['a tab', 'rep\tana'],
    ['DEL', 'rep\u007fana'],
    ['a C1 control', 'rep\u0085ana'],
    ['an unpaired surrogate', 'rep\ud800'],
    ['a number', 42],
  ])('rejects %s', (_, value) => {
    expect(isId(value)).toBe(false);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(isId('😀'.repeat(128))).toBe(true);
    expect(isId('😀'.repeat(129))).toBe(false);
  });
});

describe('free text is at most 2,000 characters and holds no NUL', () => {
  it('accepts 2,000 characters with newlines and refuses 2,001', () => {
    expect(isFreeText('line\n'.repeat(400))).toBe(true);
    expect(isFreeText('x'.repeat(2001))).toBe(false);
  });

  it('refuses NUL and honours a smaller limit', () => {
    expect(isFreeText('a\u0000b')).toBe(false);
    expect(isFreeText('x'.repeat(201), 200)).toBe(false);
    expect(isFreeText('', 200, 1)).toBe(false);
  });
});
