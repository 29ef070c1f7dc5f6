import { canonicalJson, differingFields } from './activity-canonical';

describe('canonical activity JSON (duplicate or conflict)', () => {
  it('does not depend on key order at any depth, but keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { y: [2, { d: 1, c: 2 }], x: 'é' } })).toBe(
      '{"a":{"x":"é","y":[2,{"c":2,"d":1}]},"b":1}',
    );
    expect(canonicalJson({ credits: [{ repId: 'a' }, { repId: 'b' }] })).not.toBe(
      canonicalJson({ credits: [{ repId: 'b' }, { repId: 'a' }] }),
    );
  });

  it('names the top-level fields that differ', () => {
    expect(differingFields({ a: 1, b: { c: 1 }, d: 'x' }, { a: 1, b: { c: 2 }, e: 'y' })).toEqual([
      'b',
      'd',
      'e',
    ]);
    expect(differingFields({ a: 1 }, { a: 1 })).toEqual([]);
  });
});
