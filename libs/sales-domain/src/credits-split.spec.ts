import { sharesSumToOne, splitCredits } from './credits';

describe('splitting a deal among credited reps', () => {
  it('gives the primary rep everything without credits', () => {
    expect(splitCredits('1250.5', 'r1')).toEqual([{ repId: 'r1', share: '1', credit: '1250.50' }]);
  });

  it('rounds half-up and lets the last credit take the remainder', () => {
    const credits = splitCredits('100.00', 'r1', [
      { repId: 'r1', share: '0.333' },
      { repId: 'r2', share: '0.333' },
      { repId: 'r3', share: '0.334' },
    ]);
    expect(credits.map((c) => c.credit)).toEqual(['33.30', '33.30', '33.40']);
    const split = splitCredits('0.05', 'r1', [
      { repId: 'r1', share: '0.5' },
      { repId: 'r2', share: '0.5' },
    ]);
    expect(split.map((c) => c.credit)).toEqual(['0.03', '0.02']);
  });

  it('never gives a negative credit when every earlier share rounded up', () => {
    const quarter = { share: '0.25' };
    const split = splitCredits('0.02', 'r1', ['r1', 'r2', 'r3', 'r4'].map((repId) => ({ repId, ...quarter })));
    expect(split.map((c) => c.credit)).toEqual(['0.01', '0.01', '0.00', '0.00']);
  });

  it('checks shares exactly', () => {
    expect(sharesSumToOne([{ repId: 'a', share: '0.1' }, { repId: 'b', share: '0.2' }, { repId: 'c', share: '0.7' }])).toBe(true);
    expect(sharesSumToOne([{ repId: 'a', share: '0.5' }, { repId: 'b', share: '0.4999' }])).toBe(false);
    expect(sharesSumToOne([{ repId: 'a', share: '1.5' }, { repId: 'b', share: '-0.5' }])).toBe(false);
  });
});
