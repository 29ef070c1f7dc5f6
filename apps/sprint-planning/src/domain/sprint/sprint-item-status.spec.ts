import { Sprint } from './sprint.aggregate';

// Scenario: a rep moves an item todo → doing → done, reopens it, and cannot touch it once closed.
describe('sprint item status moves', () => {
  it('allows every move (backwards too), ignores a no-op, and freezes items at close', () => {
    const s = new Sprint();
    s.plan({ sprintId: 's', teamId: 't', startDate: '2026-11-23', lengthDays: 7, goal: '', timezone: 'UTC' });
    s.setCommitment('ana', {}, [{ itemId: 'i', title: 'I' }]);
    // items can move before start too (preparation work counts)
    expect(s.changeItemStatus('i', 'doing')).toBe(true);
    s.start();
    expect(s.changeItemStatus('i', 'done')).toBe(true);
    expect(s.changeItemStatus('i', 'done')).toBe(false);
    expect(s.changeItemStatus('i', 'todo')).toBe(true);
    expect(() => s.changeItemStatus('nope', 'done')).toThrow(
      expect.objectContaining({ code: 'item-not-found', status: 404 }),
    );
    s.close();
    expect(() => s.changeItemStatus('i', 'done')).toThrow(
      expect.objectContaining({ code: 'sprint-closed', status: 409 }),
    );
    expect(() => s.setCommitment('ana', {}, [])).toThrow(expect.objectContaining({ code: 'sprint-closed' }));
    expect(() => s.start()).toThrow(expect.objectContaining({ code: 'sprint-not-planned' }));
    expect(() => s.close()).toThrow(expect.objectContaining({ code: 'sprint-not-active' }));
    expect(s.uncommittedEvents.filter((e) => e.type === 'sprint.item_status_changed')).toHaveLength(3);
  });
});
