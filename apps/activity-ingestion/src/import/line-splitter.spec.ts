import { lineText, RawLine, splitLines } from './line-splitter';

async function collect(chunks: (string | Buffer)[], max = 100): Promise<RawLine[]> {
  const out: RawLine[] = [];
  for await (const batch of splitLines(chunks, max)) out.push(...batch);
  return out;
}

describe('splitLines', () => {
  it('numbers lines across chunk boundaries and keeps a last line without newline', async () => {
    const lines = await collect(['ab', 'c\nde', 'f\n\ng', 'h']);
    expect(lines.map((l) => [l.line, l.bytes.toString()])).toEqual([
      [1, 'abc'],
      [2, 'def'],
      [3, ''],
      [4, 'gh'],
    ]);
  });

  it('reports an over-long line without buffering it and goes on with the next', async () => {
    const lines = await collect(['x'.repeat(60), 'y'.repeat(60), '\nok\n', 'z'.repeat(200)], 100);
    expect(lines.map((l) => [l.line, l.tooLong, l.bytes.toString()])).toEqual([
      [1, true, ''],
      [2, false, 'ok'],
      [3, true, ''],
    ]);
  });

  it('strips CR and a BOM on line 1, and refuses bytes that are not UTF-8', async () => {
    const lines = await collect([
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a\r\nb\r\n'), Buffer.from([0xff, 0x0a])]),
    ]);
    expect(lines.map(lineText)).toEqual(['a', 'b', undefined]);
  });

  it('splits a multi-byte character across chunks correctly', async () => {
    const euro = Buffer.from('€\n');
    const lines = await collect([euro.subarray(0, 1), euro.subarray(1)]);
    expect(lines.map(lineText)).toEqual(['€']);
  });
});
