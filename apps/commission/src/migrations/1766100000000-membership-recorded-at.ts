import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Roster facts keep their event's `recordedtime`, the middle key of the one membership replay order
 * (effective instant, recordedtime, event id) that the KPI service uses too; the local `seq` (an
 * order of arrival) no longer breaks ties.
 */
export class MembershipRecordedAt1766100000000 implements MigrationInterface {
  name = 'MembershipRecordedAt1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE team_membership_events ADD COLUMN recorded_at timestamptz');
    // Rows stored before this column lost their recordedtime. Their `seq` is the order they arrived
    // in, which for one team (one message key, one partition) is the order the roster recorded them;
    // epoch + seq milliseconds keeps that order among them and puts them before any fact recorded
    // from now on, as they were.
    await q.query(
      `UPDATE team_membership_events SET recorded_at = to_timestamp(0) + seq * interval '1 millisecond'`,
    );
    await q.query('ALTER TABLE team_membership_events ALTER COLUMN recorded_at SET NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE team_membership_events DROP COLUMN recorded_at');
  }
}
