import { jsonFileText } from './json-file';

describe('jsonFileText', () => {
  it('expands objects, keeps short primitive arrays on one line, ends with a newline', () => {
    expect(jsonFileText({ a: 1, b: ['x', 'y'], c: {}, d: [], e: [{ f: null }] })).toBe(
      '{\n  "a": 1,\n  "b": ["x", "y"],\n  "c": {},\n  "d": [],\n  "e": [\n    {\n      "f": null\n    }\n  ]\n}\n',
    );
  });

  it('breaks a primitive array that would pass the 110-column print width', () => {
    const words = Array.from({ length: 12 }, (_, i) => `word-number-${i}`);
    const text = jsonFileText({ list: words });
    expect(text.trimEnd().split('\n')).toHaveLength(words.length + 4);
    expect(text.split('\n').every((line) => line.length <= 110)).toBe(true);
  });

  it('round-trips through JSON.parse', () => {
    const value = { s: 'quote " and \\ and é', n: -1.5, t: true, nested: { list: [1, 'two', null] } };
    expect(JSON.parse(jsonFileText(value))).toEqual(value);
  });
});
