import { ValidationError } from 'class-validator';
import { problem, ProblemException } from './problem';
import { flattenValidationErrors } from './validation';

describe('problem documents', () => {
  it('flattens nested class-validator errors into dotted field paths', () => {
    const share = Object.assign(new ValidationError(), { property: 'share', constraints: { isDecimal: 'share must be a decimal string' } });
    const credit = Object.assign(new ValidationError(), { property: '1', children: [share] });
    const credits = Object.assign(new ValidationError(), { property: 'credits', children: [credit] });
    const outcome = Object.assign(new ValidationError(), {
      property: 'outcome',
      constraints: { isIn: 'outcome must be one of connected, voicemail, no_answer', isString: 'outcome must be a string' },
    });
    expect(flattenValidationErrors([outcome, credits])).toEqual([
      { path: 'outcome', message: 'outcome must be one of connected, voicemail, no_answer' },
      { path: 'outcome', message: 'outcome must be a string' },
      { path: 'credits.1.share', message: 'share must be a decimal string' },
    ]);
  });

  it('builds RFC 9457 documents with a stable type per code', () => {
    expect(problem(409, 'activity-conflict', 'x')).toEqual({
      type: 'urn:pacer:problem:activity-conflict',
      title: 'Conflict',
      status: 409,
      detail: 'x',
    });
    const e = ProblemException.validation([{ path: 'amount', message: 'bad' }]);
    expect(e.getStatus()).toBe(400);
    expect(e.getResponse()).toMatchObject({ status: 400, errors: [{ path: 'amount', message: 'bad' }] });
  });
});
