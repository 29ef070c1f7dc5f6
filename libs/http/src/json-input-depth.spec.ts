import { assertJsonDepth, parseJsonInput } from './json-input';
import { ProblemException } from './problem';

function problemOf(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProblemException) return e.getResponse() as Record<string, unknown>;
    throw e;
  }
  throw new Error('expected a problem');
}

describe('JSON nested deeper than 32 levels is a 400 naming the field, before JSON.parse', () => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it('accepts 32 levels', () => {
    expect(() => parseJsonInput(nested(32))).not.toThrow();
    expect(() => parseJsonInput(`{"a":${nested(31)}}`)).not.toThrow();
  });

  it('refuses 33 levels and 2,000 and 1,000,000 levels without blowing the stack', () => {
    for (const depth of [33, 2000, 1_000_000]) {
      expect(problemOf(() => parseJsonInput(nested(depth)))).toMatchObject({ status: 400 });
    }
  });

  it('names the path down to the level that is too deep', () => {
    const body = `{"ok":1,"items":[{"x":1},{"targets":${nested(40)}}]}`;
    expect(problemOf(() => assertJsonDepth(body))).toMatchObject({
      status: 400,
      errors: [{ path: `items.1.targets.${'0.'.repeat(28)}0`.replace(/\.$/, '') }],
    });
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(() => parseJsonInput(JSON.stringify({ text: '['.repeat(100) + '\\"{'.repeat(100) }))).not.toThrow();
  });

  it('answers malformed JSON with a 400 malformed-json problem', () => {
    expect(problemOf(() => parseJsonInput('{"a":'))).toMatchObject({ status: 400, type: 'urn:pacer:problem:malformed-json' });
  });
});
