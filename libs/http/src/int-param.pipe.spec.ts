import { IntParamPipe } from './int-param.pipe';
import { ProblemException } from './problem';

describe('integer path parameters stay in range (a plan version of 99999999999 is a 400, not a 500)', () => {
  const pipe = new IntParamPipe({ min: 1 });
  const meta = { type: 'param' as const, data: 'version' };

  it.each([['1', 1], ['2147483647', 2147483647]])('reads %s', (raw, n) => {
    expect(pipe.transform(raw, meta)).toBe(n);
  });

  it.each(['0', '-1', '99999999999', '2147483648', '1e3', ' 7', '7.0', 'abc', ''])('refuses %j naming the parameter', (raw) => {
    try {
      pipe.transform(raw, meta);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ProblemException);
      expect((e as ProblemException).getResponse()).toMatchObject({ status: 400, errors: [{ path: 'version' }] });
    }
  });
});
