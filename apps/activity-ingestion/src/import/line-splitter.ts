import { isUtf8 } from 'node:buffer';

/** One physical line of an import body (without its `\n`), numbered from 1. */
export interface RawLine {
  line: number;
  bytes: Buffer;
  /** The line was longer than the limit; its bytes were dropped, not buffered. */
  tooLong: boolean;
}

const EMPTY = Buffer.alloc(0);
const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines, batch by batch as chunks arrive, without ever holding more than
 * one chunk plus one partial line: a line over `maxLineBytes` is reported as too long and skipped
 * up to its newline instead of being accumulated. Consuming this generator slowly pauses the source
 * (async iteration of a Readable), which is what gives the import its backpressure.
 */
export async function* splitLines(
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  maxLineBytes: number,
): AsyncGenerator<RawLine[]> {
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let overflow = false;
  let lineNo = 0;
  for await (const piece of source) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    const out: RawLine[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) break;
      lineNo++;
      if (overflow || carryBytes + (nl - start) > maxLineBytes) {
        out.push({ line: lineNo, bytes: EMPTY, tooLong: true });
      } else if (carryBytes > 0) {
        carry.push(chunk.subarray(start, nl));
        out.push({ line: lineNo, bytes: Buffer.concat(carry, carryBytes + (nl - start)), tooLong: false });
      } else {
        out.push({ line: lineNo, bytes: chunk.subarray(start, nl), tooLong: false });
      }
      carry = [];
      carryBytes = 0;
      overflow = false;
      start = nl + 1;
    }
    if (start < chunk.length && !overflow) {
      const rest = chunk.subarray(start);
      if (carryBytes + rest.length > maxLineBytes) {
        overflow = true;
        carry = [];
        carryBytes = 0;
      } else {
        // A copy, so a small tail does not keep the whole chunk alive.
        carry.push(Buffer.from(rest));
        carryBytes += rest.length;
      }
    }
    if (out.length > 0) yield out;
  }
  if (overflow) {
    yield [{ line: lineNo + 1, bytes: EMPTY, tooLong: true }];
  } else if (carryBytes > 0) {
    yield [{ line: lineNo + 1, bytes: Buffer.concat(carry, carryBytes), tooLong: false }];
  }
}

/**
 * The line as text without a trailing `\r` (CRLF files) and, on line 1, without a UTF-8 BOM;
 * undefined when the bytes are not UTF-8 (decoding would silently replace them).
 */
export function lineText(raw: RawLine): string | undefined {
  let end = raw.bytes.length;
  if (end > 0 && raw.bytes[end - 1] === 0x0d) end--;
  let start = 0;
  if (raw.line === 1 && end >= 3 && raw.bytes[0] === 0xef && raw.bytes[1] === 0xbb && raw.bytes[2] === 0xbf)
    start = 3;
  const bytes = raw.bytes.subarray(start, end);
  return isUtf8(bytes) ? bytes.toString('utf8') : undefined;
}
