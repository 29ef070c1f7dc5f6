import { setImmediate as tick } from 'node:timers/promises';
import { Candidate } from './activity.repository';
import { ImportLanes, LaneItem } from './import-lanes';

const item = (line: number, activityId: string, repId: string): LaneItem => ({
  line,
  candidate: { activity: { activityId, repId }, event: {} } as unknown as Candidate,
});

describe('import lanes', () => {
  it('keeps each rep in one lane in line order, sends a repeated id after its first occurrence, and bounds what is in flight', async () => {
    const written: LaneItem[][] = [];
    let open = 0;
    let maxOpen = 0;
    const lanes = new ImportLanes(2, 3, async (batch) => {
      open++;
      maxOpen = Math.max(maxOpen, open);
      await tick();
      written.push(batch);
      open--;
    });
    const reps = ['ana', 'ben', 'cy', 'dee'];
    for (let line = 1; line <= 40; line++) await lanes.add(item(line, `a-${line}`, reps[line % 4] as string));
    // The id of line 40 again, for another rep: it must follow line 40 through its lane.
    await lanes.add(item(41, 'a-40', 'ben'));
    await lanes.finish();

    expect(written.flat()).toHaveLength(41);
    expect(maxOpen).toBeLessThanOrEqual(2);
    for (const rep of reps) {
      const lines = written
        .flat()
        .filter((i) => i.candidate.activity.repId === rep && i.line <= 40)
        .map((i) => i.line);
      expect(lines).toHaveLength(10);
      expect(lines).toEqual([...lines].sort((a, b) => a - b));
    }
    const batchOf = (line: number) => written.findIndex((b) => b.some((i) => i.line === line));
    const repeat = batchOf(41);
    const first = batchOf(40);
    expect(repeat).toBeGreaterThanOrEqual(first);
    expect(written[repeat]?.findIndex((i) => i.line === 41)).toBeGreaterThan(
      repeat === first ? (written[first]?.findIndex((i) => i.line === 40) ?? -1) : -1,
    );
  });

  it('reports a failed write at the next flush or at the end, after letting the other lane finish', async () => {
    let calls = 0;
    const lanes = new ImportLanes(1, 2, async () => {
      if (++calls === 1) throw new Error('database went away');
    });
    await lanes.add(item(1, 'a', 'r'));
    await lanes.add(item(2, 'b', 'r'));
    await lanes.add(item(3, 'c', 'r'));
    await expect(lanes.add(item(4, 'd', 'r'))).rejects.toThrow('database went away');
  });
});
