import { ImportItem, lineTooLong, MAX_LINE_BYTES, notUtf8 } from './import-item';
import { lineText, splitLines } from './line-splitter';

/**
 * NDJSON body → activities, one JSON object per line. Blank lines are skipped (they still count for
 * line numbers); a line that is not JSON is reported and the next one is read as usual.
 */
export async function* ndjsonItems(
  source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  maxLineBytes = MAX_LINE_BYTES,
): AsyncGenerator<ImportItem[]> {
  for await (const lines of splitLines(source, maxLineBytes)) {
    const items: ImportItem[] = [];
    for (const raw of lines) {
      if (raw.tooLong) {
        items.push(lineTooLong(raw.line));
        continue;
      }
      const text = lineText(raw);
      if (text === undefined) {
        items.push(notUtf8(raw.line));
        continue;
      }
      if (text.trim() === '') continue;
      try {
        items.push({ line: raw.line, raw: JSON.parse(text) as unknown });
      } catch (e) {
        items.push({
          line: raw.line,
          errors: [{ path: '', message: `the line is not valid JSON: ${(e as Error).message}` }],
        });
      }
    }
    if (items.length > 0) yield items;
  }
}
