import { SprintPlanningError } from '../sprint-planning.error';
import { Sprint } from './sprint.aggregate';
import { nextSprintAfter, ScheduledSprint } from './sprint-schedule';

// Scenario: week 48 closes with one item done, one in progress and one not started; week 49 is the
// team's next planned sprint and receives the two unfinished ones, recorded on both sides.
describe('carry-over of unfinished items at close', () => {
  function sprint(id: string, startDate: string): Sprint {
    const s = new Sprint();
    s.plan({ sprintId: id, teamId: 't', startDate, lengthDays: 7, goal: '', timezone: 'UTC' });
    return new Sprint().loadFromHistory(s.uncommittedEvents);
  }

  it('moves unfinished items, with their owner and status, to the next planned sprint', () => {
    const w48 = sprint('w48', '2026-11-23');
    w48.setCommitment('ana', { calls: 10 }, [
      { itemId: 'done', title: 'Signed' },
      { itemId: 'doing', title: 'Negotiating', opportunityId: 'opp-1' },
      { itemId: 'todo', title: 'Call back', dueDate: '2026-11-27' },
    ]);
    w48.start();
    w48.changeItemStatus('done', 'done');
    w48.changeItemStatus('doing', 'doing');
    const w49 = sprint('w49', '2026-11-30');
    w49.setCommitment('ana', { calls: 12 }, [{ itemId: 'todo', title: 'Already replanned' }]);

    const moved = w49.receiveCarriedItems('w48', w48.unfinishedItems());
    w48.recordCarriedOut('w49', moved);
    w48.close();

    // an item whose id the next sprint already uses stays behind as unfinished
    expect(moved).toEqual(['doing']);
    expect(w48.items.get('doing')?.carriedTo).toBe('w49');
    expect(w48.items.get('todo')?.carriedTo).toBeUndefined();
    expect(w48.status).toBe('closed');
    expect(w49.itemsOf('ana').map((i) => [i.itemId, i.status, i.carriedFrom])).toEqual([
      ['todo', 'todo', undefined],
      ['doing', 'doing', 'w48'],
    ]);
    expect(w49.items.get('doing')).toMatchObject({ opportunityId: 'opp-1', addedAfterStart: false });
    expect(w48.uncommittedEvents.map((e) => e.type)).toContain('sprint.items_carried_out');
    expect(w49.uncommittedEvents.map((e) => e.type)).toContain('sprint.items_carried_in');
  });

  it('creates the receiving rep commitment when the rep had none there', () => {
    const w49 = sprint('w49', '2026-11-30');
    w49.receiveCarriedItems('w48', [{ itemId: 'i', title: 'x', repId: 'bo', status: 'todo' }]);
    expect(w49.commitments.get('bo')).toEqual({
      repId: 'bo',
      targets: {},
      committedTargets: null,
      itemIds: ['i'],
    });
  });

  it('picks the earliest later sprint that has not started; none means nothing moves', () => {
    const closing: ScheduledSprint = {
      sprintId: 'w48',
      startDate: '2026-11-23',
      lengthDays: 7,
      status: 'active',
    };
    const schedule: ScheduledSprint[] = [
      closing,
      { sprintId: 'w46', startDate: '2026-11-09', lengthDays: 7, status: 'planned' },
      { sprintId: 'w51', startDate: '2026-12-14', lengthDays: 7, status: 'planned' },
      { sprintId: 'w50', startDate: '2026-12-07', lengthDays: 7, status: 'planned' },
    ];
    expect(nextSprintAfter(closing, schedule)?.sprintId).toBe('w50');
    expect(nextSprintAfter(closing, schedule.slice(0, 2))).toBeUndefined();
  });

  it('never carries into a sprint that already started', () => {
    const w49 = sprint('w49', '2026-11-30');
    w49.start();
    expect(() =>
      w49.receiveCarriedItems('w48', [{ itemId: 'i', title: 'x', repId: 'bo', status: 'todo' }]),
    ).toThrow(SprintPlanningError);
  });
});
