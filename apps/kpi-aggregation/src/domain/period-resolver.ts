import {
  CalendarPeriodType,
  parseInstant,
  periodOfKey,
  periodsContaining,
  PeriodWindow,
  TenantCalendar,
} from '@pacer/sales-domain';
import { CalendarKeys } from './kpi-fact';

const HOUR_MS = 3_600_000;
const MAX_CACHED_HOURS = 200_000;
const MAX_CACHED_WINDOWS = 50_000;

interface DaySpan {
  startMs: number;
  endMs: number;
  keys: CalendarKeys;
}

export interface ResolvedWindow extends PeriodWindow {
  startMs: number;
  endMs: number;
}

/**
 * The tenant calendar's periods for an instant, memoised: the calendar maths lives in
 * libs/sales-domain (luxon, DST-safe) and costs microseconds per call, while a stream of activities
 * keeps hitting the same few local days. Instants are bucketed by UTC hour and each bucket remembers
 * the local day(s) overlapping it, so zones with half- and quarter-hour offsets resolve exactly.
 */
export class PeriodResolver {
  private readonly hours = new Map<number, DaySpan[]>();
  private readonly windows = new Map<string, ResolvedWindow>();

  constructor(readonly calendar: TenantCalendar) {}

  /** Period keys (day … fiscal year) of the periods containing the instant `ms`. */
  keysAt(ms: number): CalendarKeys {
    const bucket = Math.floor(ms / HOUR_MS);
    let spans = this.hours.get(bucket);
    if (!spans) {
      spans = this.spansOfHour(bucket);
      if (this.hours.size >= MAX_CACHED_HOURS) this.hours.clear();
      this.hours.set(bucket, spans);
    }
    for (const s of spans) if (s.startMs <= ms && ms < s.endMs) return s.keys;
    // Unreachable when the calendar's day windows tile time; fall back to the exact computation.
    return this.spanAt(ms).keys;
  }

  /** The window of a calendar period key; throws CalendarError for a key this calendar does not have. */
  window(type: CalendarPeriodType, key: string): ResolvedWindow {
    const id = `${type}\u0000${key}`;
    let w = this.windows.get(id);
    if (!w) {
      const p = periodOfKey(type, key, this.calendar);
      w = { ...p, startMs: parseInstant(p.start).toMillis(), endMs: parseInstant(p.end).toMillis() };
      if (this.windows.size >= MAX_CACHED_WINDOWS) this.windows.clear();
      this.windows.set(id, w);
    }
    return w;
  }

  private spansOfHour(bucket: number): DaySpan[] {
    const end = (bucket + 1) * HOUR_MS;
    const spans = [this.spanAt(bucket * HOUR_MS)];
    for (let last = spans[0] as DaySpan; last.endMs < end; ) {
      last = this.spanAt(last.endMs);
      spans.push(last);
    }
    return spans;
  }

  private spanAt(ms: number): DaySpan {
    const periods = periodsContaining(new Date(ms).toISOString(), this.calendar);
    const [day, week, month, quarter, year] = periods as [PeriodWindow, PeriodWindow, PeriodWindow, PeriodWindow, PeriodWindow];
    return {
      startMs: parseInstant(day.start).toMillis(),
      endMs: parseInstant(day.end).toMillis(),
      keys: [day.key, week.key, month.key, quarter.key, year.key],
    };
  }
}

const resolvers = new Map<string, PeriodResolver>();

/** A shared resolver per calendar (calendars are few; their caches are worth keeping across batches). */
export function periodResolverFor(calendar: TenantCalendar): PeriodResolver {
  const id = `${calendar.timezone}|${calendar.weekStartsOn}|${calendar.fiscalYearStartMonth}`;
  let r = resolvers.get(id);
  if (!r) {
    if (resolvers.size >= 1000) resolvers.clear();
    r = new PeriodResolver(calendar);
    resolvers.set(id, r);
  }
  return r;
}
