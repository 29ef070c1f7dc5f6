import { SprintPlanningError } from '../sprint-planning.error';
import { assertNoOverlap, findOverlap, ScheduledSprint } from './sprint-schedule';

// Scenario: a team plans weekly sprints back to back; sprints cover [startDate, startDate + lengthDays).
describe('sprint overlap within a team', () => {
  const week48: ScheduledSprint = {
    sprintId: 'w48',
    startDate: '2026-11-23',
    lengthDays: 7,
    status: 'active',
  };
  const week50: ScheduledSprint = {
    sprintId: 'w50',
    startDate: '2026-12-07',
    lengthDays: 7,
    status: 'planned',
  };
  const schedule = [week48, week50];

  it('accepts a sprint that starts on the day the previous one ends (the end is exclusive)', () => {
    expect(
      findOverlap(schedule, { sprintId: 'w49', startDate: '2026-11-30', lengthDays: 7 }),
    ).toBeUndefined();
  });

  it('rejects a sprint sharing a single day with another, naming it', () => {
    expect(findOverlap(schedule, { sprintId: 'x', startDate: '2026-11-29', lengthDays: 1 })?.sprintId).toBe(
      'w48',
    );
    expect(findOverlap(schedule, { sprintId: 'x', startDate: '2026-11-30', lengthDays: 8 })?.sprintId).toBe(
      'w50',
    );
    try {
      assertNoOverlap(schedule, { sprintId: 'x', startDate: '2026-11-20', lengthDays: 30 });
      throw new Error('expected an overlap');
    } catch (e) {
      expect(e).toBeInstanceOf(SprintPlanningError);
      expect(e).toMatchObject({
        code: 'sprint-overlap',
        status: 409,
        extensions: { conflictingSprintId: 'w48' },
      });
    }
  });

  it('counts days across month and year ends as calendar dates', () => {
    const december = [
      { sprintId: 'dec', startDate: '2026-12-28', lengthDays: 7, status: 'planned' as const },
    ];
    expect(findOverlap(december, { sprintId: 'jan', startDate: '2027-01-03', lengthDays: 7 })?.sprintId).toBe(
      'dec',
    );
    expect(
      findOverlap(december, { sprintId: 'jan', startDate: '2027-01-04', lengthDays: 7 }),
    ).toBeUndefined();
  });

  it('does not compare a sprint with itself', () => {
    expect(
      findOverlap(schedule, { sprintId: 'w48', startDate: '2026-11-23', lengthDays: 7 }),
    ).toBeUndefined();
  });
});
