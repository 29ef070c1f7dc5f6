import { ConsumerProgress } from './consumer-progress';

describe('ConsumerProgress: lag and waiting time of a partition', () => {
  let now = 0;
  const progress = (): ConsumerProgress => {
    now = 1_000_000;
    const p = new ConsumerProgress(() => now);
    p.assign({ t: [0] });
    return p;
  };

  it('knows the lag from the stored offset and the broker watermark, before any batch', () => {
    const p = progress();
    p.storedOffset('t', 0, '40');
    p.watermarks('t', 0, '0', '100');
    expect(p.observe()).toEqual([expect.objectContaining({ lag: 60, waitingSeconds: 0, lastAppliedAt: null })]);
  });

  it('starts a partition with no stored offset at the low watermark', () => {
    const p = progress();
    p.watermarks('t', 0, '10', '25');
    expect(p.observe()[0]?.lag).toBe(15);
  });

  it('waits longer and longer while records wait and nothing is applied, and resets on a commit', () => {
    const p = progress();
    p.storedOffset('t', 0, '5');
    p.watermarks('t', 0, '0', '6');
    now += 90_000;
    expect(p.observe()[0]?.waitingSeconds).toBe(90);
    p.failed('t', 0, 'boom');
    expect(p.observe()[0]?.lastError).toBe('boom');
    p.applied('t', 0, '6', '6');
    expect(p.observe()[0]).toEqual(expect.objectContaining({ lag: 0, waitingSeconds: 0 }));
    expect(p.observe()[0]?.lastError).toBeUndefined();
  });

  it('counts an idle, caught-up partition as fresh: a record arriving after an hour has not waited an hour', () => {
    const p = progress();
    p.storedOffset('t', 0, '6');
    p.watermarks('t', 0, '0', '6');
    now += 3_600_000;
    expect(p.observe()[0]?.waitingSeconds).toBe(0);
    p.watermarks('t', 0, '0', '7');
    now += 2_000;
    expect(p.observe()[0]?.waitingSeconds).toBe(2);
  });

  it('treats a failing partition of unknown lag as waiting, and forgets partitions no longer owned', () => {
    const p = progress();
    p.failed('t', 0, 'kafka down');
    now += 5_000;
    expect(p.observe()[0]).toEqual(expect.objectContaining({ lag: null, waitingSeconds: 5 }));
    expect(p.assign({ t: [1] })).toEqual([{ topic: 't', partition: 0 }]);
    expect(p.observe().map((s) => s.partition)).toEqual([1]);
  });
});
