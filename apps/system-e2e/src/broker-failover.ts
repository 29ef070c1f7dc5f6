/**
 * Pieces of the broker-failover chaos test (test/broker-failover.chaos-spec.ts) that need no
 * infrastructure: reading counters off a /metrics page and turning sampled counters into "when did
 * it move again after the kill" and "longest standstill".
 */

/** Sum of a Prometheus counter/gauge family over the series whose labels include all of `labels`. */
export function metricSum(page: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of page.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue; // another family sharing the prefix
    const labelText = rest[0] === '{' ? rest.slice(1, rest.indexOf('}')) : '';
    const seriesLabels = new Map(
      [...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (!Object.entries(labels).every(([k, v]) => seriesLabels.get(k) === v)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

export interface Sample {
  at: number;
  value: number;
}

/**
 * The first moment after `since` at which the counter stood above its value at `since`: for the
 * outbox relay's published counter, the first batch the broker acknowledged after the kill.
 */
export function firstProgressAfter(samples: readonly Sample[], since: number): number | undefined {
  const before = [...samples].reverse().find((s) => s.at <= since);
  const base = before?.value ?? 0;
  return samples.find((s) => s.at > since && s.value > base)?.at;
}

/**
 * The longest time within [from, to] during which the counter did not move, i.e. from the last
 * sample that saw a value until the first sample that saw a higher one.
 */
export function longestStandstill(
  samples: readonly Sample[],
  from: number,
  to: number,
): { ms: number; endedAt?: number } {
  const window = samples.filter((s) => s.at >= from && s.at <= to);
  let best = { ms: 0 } as { ms: number; endedAt?: number };
  let stillSince = window[0]?.at;
  let value = window[0]?.value;
  for (const s of window) {
    if (value === undefined || stillSince === undefined) break;
    if (s.value > value) {
      if (s.at - stillSince > best.ms) best = { ms: s.at - stillSince, endedAt: s.at };
      stillSince = s.at;
      value = s.value;
    }
  }
  const last = window[window.length - 1];
  if (last && stillSince !== undefined && last.at - stillSince > best.ms) best = { ms: last.at - stillSince };
  return best;
}

/**
 * When a counter was moving again after a kill at `killedAt`: the end of the longest standstill that
 * began after the kill, or (when it never stood still for `noticeMs`) its first rise after the kill.
 * Increments right after the kill are not recovery: they are batches acknowledged just before it.
 */
export function resumedAfter(
  samples: readonly Sample[],
  killedAt: number,
  until: number,
  noticeMs = 1_000,
): { at?: number; standstillMs: number } {
  const stall = longestStandstill(samples, killedAt, until);
  if (stall.ms >= noticeMs) return { at: stall.endedAt, standstillMs: stall.ms };
  return { at: firstProgressAfter(samples, killedAt), standstillMs: stall.ms };
}

/** Activity ids seen on the topic and how often: anything above 1 is a duplicate on the wire. */
export function occurrences(ids: readonly string[]): { distinct: number; duplicated: number } {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return { distinct: counts.size, duplicated: [...counts.values()].reduce((n, c) => n + c - 1, 0) };
}
