import { FORBIDDEN_KEYS, INPUT_LIMITS, isStorableText } from '@pacer/sales-domain';
import { FieldError, ProblemException } from './problem';

// Reading a JSON request body under SPEC §3: nesting is measured on the raw text before JSON.parse
// sees it (so no recursive code ever walks a hostile depth), then the parsed value is checked for
// prototype keys and for strings Postgres cannot store. Pure functions: the middleware and the
// unit specs call them directly.

const MAX_ERRORS = 50;

function dotted(path: readonly (string | number)[]): string {
  return path.join('.');
}

/**
 * Throws a 400 naming the path of the first object or array nested deeper than `maxDepth`. A
 * linear scan that tracks the key or index of every open level, so the error names the field.
 */
export function assertJsonDepth(text: string, maxDepth: number = INPUT_LIMITS.maxJsonDepth): void {
  const frames: { array: boolean; key: string | number }[] = [];
  let lastString: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
      lastString = text.slice(start, i + 1);
      continue;
    }
    const top = frames[frames.length - 1];
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (frames.length >= maxDepth) {
        throw ProblemException.validation(
          [{ path: dotted(frames.map((f) => f.key)), message: `is nested deeper than ${maxDepth} levels` }],
          `JSON nested deeper than ${maxDepth} levels is not accepted.`,
        );
      }
      frames.push({ array: c === 0x5b, key: c === 0x5b ? 0 : '' });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      frames.pop();
    } else if (c === 0x3a /* : */ && top && !top.array) {
      top.key = keyOf(lastString);
    } else if (c === 0x2c /* , */ && top && top.array) {
      top.key = (top.key as number) + 1;
    }
  }
}

// A key literal without escapes or control characters is its own text between the quotes; JSON.parse
// per key was a third of this scan on a 1000-item batch.
const PLAIN_KEY_LITERAL = /^"[^"\\\u0000-\u001f]*"$/;

function keyOf(literal: string | undefined): string {
  if (literal === undefined) return '';
  if (PLAIN_KEY_LITERAL.test(literal)) return literal.slice(1, -1);
  try {
    const key: unknown = JSON.parse(literal);
    return typeof key === 'string' ? key : '';
  } catch {
    return '';
  }
}

/** Prototype keys anywhere and strings (keys included) Postgres cannot store, with their paths. */
export function unsafeJsonContent(value: unknown, path: (string | number)[] = [], out: FieldError[] = []): FieldError[] {
  if (out.length >= MAX_ERRORS) return out;
  if (typeof value === 'string') {
    if (!isStorableText(value)) out.push({ path: dotted(path), message: 'must not contain NUL characters or unpaired surrogates' });
    return out;
  }
  if (typeof value !== 'object' || value === null) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => unsafeJsonContent(v, [...path, i], out));
    return out;
  }
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) {
      out.push({ path: dotted([...path, key]), message: `${key} is not an accepted field name` });
    } else if (!isStorableText(key)) {
      out.push({ path: dotted([...path, key]), message: 'a field name must not contain NUL characters or unpaired surrogates' });
    } else {
      unsafeJsonContent((value as Record<string, unknown>)[key], [...path, key], out);
    }
  }
  return out;
}

/**
 * The JSON value of a request body, or a 400 problem: malformed JSON, nesting deeper than 32, a
 * `__proto__`/`constructor`/`prototype` key, or a NUL (or unpaired surrogate) in any string.
 */
export function parseJsonInput(text: string): unknown {
  const value = parseJsonText(text);
  assertSafeJsonContent(value);
  return value;
}

/** JSON.parse behind the depth scan: malformed or too deeply nested JSON is a 400. */
export function parseJsonText(text: string): unknown {
  assertJsonDepth(text);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ProblemException(400, 'malformed-json', 'The request body is not valid JSON.', {
      errors: [{ path: '', message: e instanceof Error ? e.message : 'invalid JSON' }],
    });
  }
}

/** A 400 naming every prototype key and every string with a NUL or an unpaired surrogate in `value`. */
export function assertSafeJsonContent(value: unknown): void {
  const unsafe = unsafeJsonContent(value);
  if (unsafe.length > 0) throw ProblemException.validation(unsafe, 'The request body holds fields or text that are not accepted.');
}
