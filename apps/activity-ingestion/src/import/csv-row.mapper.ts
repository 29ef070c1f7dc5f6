import { FieldError } from '@pacer/http';

// How a CSV row becomes the same flat activity object the JSON endpoints take:
// - the header row names the fields; columns may come in any order and one file may mix kinds;
// - an empty cell means "field not given", so each row fills only its kind's columns;
// - `durationSec` and product `quantity` are whole numbers in the cell ("240");
// - `credits` is `repA:0.6;repB:0.4` (entries split on ';', rep and share on the last ':'),
//   or a JSON array `[{"repId":"repA","share":"0.6"}]`;
// - `products` is a JSON array `[{"productId":"p1","quantity":2,"amount":"100.00"}]`.
// Everything else is passed through as text and validated like any other activity.

const INTEGER_FIELDS: ReadonlySet<string> = new Set(['durationSec']);
const WHOLE_NUMBER = /^-?\d{1,16}$/;

export type CsvRowResult = { ok: true; raw: Record<string, unknown> } | { ok: false; errors: FieldError[] };

function parseCredits(cell: string): unknown {
  if (cell.trimStart().startsWith('[')) return JSON.parse(cell) as unknown;
  return cell.split(';').map((entry) => {
    const at = entry.lastIndexOf(':');
    if (at <= 0) throw new Error('expected entries like repA:0.5 separated by ";"');
    return { repId: entry.slice(0, at).trim(), share: entry.slice(at + 1).trim() };
  });
}

/** Defines rather than assigns, so a column named `__proto__` stays a (rejected) field, not a prototype. */
function put(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

export function csvRowToActivity(header: readonly string[], fields: readonly string[]): CsvRowResult {
  const raw: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  header.forEach((name, i) => {
    const cell = fields[i] ?? '';
    if (cell === '') return;
    if (INTEGER_FIELDS.has(name)) {
      put(raw, name, WHOLE_NUMBER.test(cell.trim()) ? Number(cell.trim()) : cell);
    } else if (name === 'credits') {
      try {
        put(raw, name, parseCredits(cell));
      } catch (e) {
        errors.push({
          path: 'credits',
          message: `must be "repA:0.5;repB:0.5" or a JSON array: ${(e as Error).message}`,
        });
      }
    } else if (name === 'products') {
      try {
        put(raw, name, JSON.parse(cell) as unknown);
      } catch (e) {
        errors.push({ path: 'products', message: `must be a JSON array: ${(e as Error).message}` });
      }
    } else {
      put(raw, name, cell);
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, raw };
}
