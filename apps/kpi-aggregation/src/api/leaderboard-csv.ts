import { csvNumber, CsvColumn, csvText } from '@pacer/http';
import { LeaderboardDto } from './kpi-query.dto';

/** One CSV row: an entry of the leaderboard with the board's own coordinates repeated, so rows stand alone. */
export interface LeaderboardCsvRow {
  board: LeaderboardDto;
  entry: LeaderboardDto['entries'][number];
}

/**
 * `GET /v1/leaderboard.csv`: the JSON leaderboard's entries, one row each. Names and ids are text
 * (neutralised against formula injection); rank, value and revision are numbers (money as its decimal
 * string, a null ratio as an empty cell).
 */
export const LEADERBOARD_CSV_COLUMNS: readonly CsvColumn<LeaderboardCsvRow>[] = [
  csvNumber('rank', (r) => r.entry.rank),
  csvText('repId', (r) => r.entry.repId),
  csvText('name', (r) => r.entry.name),
  csvText('metric', (r) => r.board.metric),
  csvNumber('value', (r) => r.entry.value),
  csvText('teamId', (r) => r.board.teamId),
  csvText('period', (r) => r.board.period),
  csvText('key', (r) => r.board.key),
  csvNumber('revision', (r) => r.entry.revision),
  csvText('asOf', (r) => r.entry.asOf),
];

export function leaderboardCsvRows(board: LeaderboardDto): LeaderboardCsvRow[] {
  return board.entries.map((entry) => ({ board, entry }));
}

/** `leaderboard-<team or org>-<period>-<key>-<metric>.csv` */
export function leaderboardCsvFilename(board: LeaderboardDto): string {
  return `leaderboard-${board.teamId ?? 'org'}-${board.period}-${board.key}-${board.metric}.csv`;
}
