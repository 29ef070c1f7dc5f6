import { jsonInputErrors } from '../test/json-input-errors';

const errorsOf = jsonInputErrors;

describe('__proto__, constructor and prototype keys are refused anywhere in a body', () => {
  it.each([
    ['__proto__ at the top', '{"__proto__":{"admin":true}}', '__proto__'],
    ['constructor at the top', '{"constructor":{"prototype":{}}}', 'constructor'],
    ['__proto__ nested in an array', '{"items":[{"ok":1},{"__proto__":1}]}', 'items.1.__proto__'],
    ['prototype in a map', '{"targets":{"prototype":1}}', 'targets.prototype'],
  ])('%s', (_, body, path) => {
    expect(errorsOf(body)).toEqual([expect.objectContaining({ path })]);
  });

  it('lets ordinary keys that merely contain the words through', () => {
    expect(errorsOf('{"constructorName":"x","proto":1}')).toBeUndefined();
  });
});
