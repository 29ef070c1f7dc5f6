import { ImportItem } from './import-item';
import { ndjsonItems } from './ndjson.parser';

async function collect(body: string, max?: number): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  for await (const batch of ndjsonItems([body], max)) out.push(...batch);
  return out;
}

describe('NDJSON import bodies', () => {
  it('yields one item per non-blank line with its line number, and an error for a line that is not JSON', async () => {
    const items = await collect('{"a":1}\n\n  \n{oops\r\n[1]\n{"b":2}');
    expect(items).toEqual([
      { line: 1, raw: { a: 1 } },
      { line: 4, errors: [{ path: '', message: expect.stringContaining('not valid JSON') }] },
      { line: 5, raw: [1] },
      { line: 6, raw: { b: 2 } },
    ]);
  });

  it('rejects an over-long line with its number', async () => {
    const items = await collect(`{"a":"${'x'.repeat(50)}"}\n{"b":1}\n`, 20);
    expect(items).toEqual([
      { line: 1, errors: [{ path: '', message: expect.stringContaining('longer than') }] },
      { line: 2, raw: { b: 1 } },
    ]);
  });
});
