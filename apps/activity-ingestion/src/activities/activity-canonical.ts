/**
 * JSON with object keys sorted at every level: the same activity always gives the same text, however
 * its fields were ordered (jsonb hands stored activities back in its own key order). Comparing the
 * canonical text of two normalised activities is how a duplicate is told from a conflict.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Top-level fields whose values differ between two activities (for a 409 that names the conflict). */
export function differingFields(
  stored: Record<string, unknown>,
  incoming: Record<string, unknown>,
): string[] {
  const keys = new Set([...Object.keys(stored), ...Object.keys(incoming)]);
  return [...keys].filter((k) => canonicalJson(stored[k]) !== canonicalJson(incoming[k])).sort();
}
