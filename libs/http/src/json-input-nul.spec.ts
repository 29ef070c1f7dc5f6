import { jsonInputErrors } from '../test/json-input-errors';

const errorsOf = jsonInputErrors;

describe('a NUL (or an unpaired surrogate) in any string of a body is a 400 naming the field', () => {
  it.each([
    ['a top-level string', '{"name":"a\\u0000b"}', 'name'],
    ['a nested string', '{"items":[{"title":"ok"},{"title":"\\u0000"}]}', 'items.1.title'],
    ['an unpaired surrogate', '{"goal":"\\ud800"}', 'goal'],
    ['a key', '{"a\\u0000":1}', 'a\u0000'],
  ])('%s', (_, body, path) => {
    expect(errorsOf(body)).toEqual([expect.objectContaining({ path })]);
  });

  it('keeps paired surrogates (emoji) and other control characters in free text', () => {
    expect(errorsOf('{"goal":"\\ud83d\\ude00 line\\nnext"}')).toBeUndefined();
  });
});
