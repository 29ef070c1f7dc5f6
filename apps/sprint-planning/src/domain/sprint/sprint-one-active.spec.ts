import { assertNoOtherActive, ScheduledSprint } from './sprint-schedule';

// Scenario: last week's sprint was never closed; this week's cannot start until it is.
describe('one active sprint per team', () => {
  it('refuses to start a sprint while another of the team runs', () => {
    const schedule: ScheduledSprint[] = [
      { sprintId: 'w47', startDate: '2026-11-16', lengthDays: 7, status: 'closed' },
      { sprintId: 'w48', startDate: '2026-11-23', lengthDays: 7, status: 'active' },
      { sprintId: 'w49', startDate: '2026-11-30', lengthDays: 7, status: 'planned' },
    ];
    expect(() => assertNoOtherActive(schedule, 'w49')).toThrow(
      expect.objectContaining({
        code: 'another-sprint-active',
        status: 409,
        extensions: { activeSprintId: 'w48' },
      }),
    );
    expect(() => assertNoOtherActive(schedule, 'w48')).not.toThrow();
  });
});
