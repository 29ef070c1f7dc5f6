import { Sprint } from './sprint.aggregate';
import { sheetFromSprint } from './sprint-sheet';

// Scenario: Ana commits before the sprint starts; the start snapshots it; afterwards her targets are
// raised, an item is added and one dropped — the committed version stays visible next to the change.
describe('commitment snapshot at start', () => {
  function plannedSprint(): Sprint {
    const s = new Sprint();
    s.plan({
      sprintId: 's',
      teamId: 't',
      startDate: '2026-11-30',
      lengthDays: 7,
      goal: 'demos',
      timezone: 'UTC',
    });
    return s;
  }

  it('keeps the commitment made before start apart from the changes made after', () => {
    const s = plannedSprint();
    s.setCommitment('ana', { calls: 40 }, [{ itemId: 'draft', title: 'Draft' }]);
    // before start a PUT simply replaces: the dropped draft is gone, nothing is "added"
    s.setCommitment('ana', { calls: 50, meetingsHeld: 3 }, [
      { itemId: 'a', title: 'ACME' },
      { itemId: 'b', title: 'Globex' },
    ]);
    expect(s.items.has('draft')).toBe(false);
    s.start();
    s.setCommitment('ana', { calls: 60 }, [
      { itemId: 'a', title: 'ACME (renamed)' },
      { itemId: 'c', title: 'Initech' },
    ]);
    // a rep without a commitment at start has no committed targets
    s.setCommitment('bo', { calls: 5 }, []);

    expect(s.commitments.get('ana')).toMatchObject({
      targets: { calls: 60 },
      committedTargets: { calls: 50, meetingsHeld: 3 },
      itemIds: ['a', 'c'],
    });
    expect(s.commitments.get('bo')).toMatchObject({ committedTargets: null });
    expect(s.items.get('a')).toMatchObject({
      title: 'ACME (renamed)',
      inSnapshot: true,
      addedAfterStart: false,
      removed: false,
    });
    expect(s.items.get('b')).toMatchObject({ inSnapshot: true, removed: true });
    expect(s.items.get('c')).toMatchObject({ inSnapshot: false, addedAfterStart: true, status: 'todo' });

    const sheet = sheetFromSprint(s, []);
    expect(sheet.reps.map((r) => [r.repId, r.committedTargets, r.targets])).toEqual([
      ['ana', { calls: 50, meetingsHeld: 3 }, { calls: 60 }],
      ['bo', null, { calls: 5 }],
    ]);
  });

  it('keeps the status of an item re-listed after start and re-activates a removed one', () => {
    const s = plannedSprint();
    s.setCommitment('ana', {}, [{ itemId: 'a', title: 'A' }]);
    s.start();
    s.changeItemStatus('a', 'doing');
    s.setCommitment('ana', {}, []);
    expect(s.items.get('a')).toMatchObject({ removed: true, status: 'doing' });
    s.setCommitment('ana', {}, [{ itemId: 'a', title: 'A' }]);
    expect(s.items.get('a')).toMatchObject({ removed: false, status: 'doing', inSnapshot: true });
  });

  it('rebuilds the same state from its events (apply handlers are the only state change)', () => {
    const s = plannedSprint();
    s.setCommitment('ana', { calls: 10 }, [{ itemId: 'a', title: 'A' }]);
    s.start();
    s.setCommitment('ana', { calls: 12 }, [{ itemId: 'b', title: 'B' }]);
    const replayed = new Sprint().loadFromHistory(s.uncommittedEvents);
    expect(replayed.loadedVersion).toBe(4);
    expect([...replayed.items.values()]).toEqual([...s.items.values()]);
    expect([...replayed.commitments.values()]).toEqual([...s.commitments.values()]);
  });
});
