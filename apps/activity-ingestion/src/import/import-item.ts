import { FieldError } from '@pacer/http';

/** One line (or CSV record) of an import: the raw activity to validate, or why it could not be read. */
export interface ImportItem {
  /** 1-based line number in the body; for a CSV record spanning lines, the line it starts on. */
  line: number;
  raw?: unknown;
  errors?: FieldError[];
}

/** Lines and records longer than this are rejected without being buffered (1 MiB). */
export const MAX_LINE_BYTES = 1024 * 1024;

export function lineTooLong(line: number): ImportItem {
  return { line, errors: [{ path: '', message: `the line is longer than ${MAX_LINE_BYTES} bytes` }] };
}

export function notUtf8(line: number): ImportItem {
  return { line, errors: [{ path: '', message: 'the line is not valid UTF-8' }] };
}
