import { SprintPlanningError } from '../domain/sprint-planning.error';

/**
 * The aggregate version a client expects, from `If-Match` (`"3"`, `W/"3"` or `3`); undefined when the
 * header is absent or `*`. ETags are the aggregate's stream version.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  const value = header?.trim();
  if (value === undefined || value === '' || value === '*') return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value);
  if (!m)
    throw new SprintPlanningError('invalid-if-match', 'If-Match must be the ETag of the resource, e.g. "3".');
  return Number(m[1]);
}

export function etagOf(version: number): string {
  return `"${version}"`;
}
