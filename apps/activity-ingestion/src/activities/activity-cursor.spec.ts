import { decodeCursor, encodeCursor } from './activity-cursor';

describe('list cursors', () => {
  it('round-trip a keyset position', () => {
    const position = { occurredAt: '2026-11-27T08:30:00.000000Z', activityId: 'a:1 é' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('refuse anything they did not produce', () => {
    for (const bad of [
      '',
      'x',
      Buffer.from('["v2","2026-11-27T08:30:00.000000Z","a"]').toString('base64url'),
      Buffer.from('["v1","yesterday","a"]').toString('base64url'),
      Buffer.from('["v1","2026-11-27T08:30:00.000000Z",""]').toString('base64url'),
    ]) {
      expect(decodeCursor(bad)).toBeUndefined();
    }
  });
});
