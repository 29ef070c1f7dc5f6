import { ImportItem } from './import-item';
import { csvItems } from './csv.parser';

async function collect(chunks: string[], max?: number): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  for await (const batch of csvItems(chunks, max)) out.push(...batch);
  return out;
}

const HEADER = 'activityId,kind,repId,occurredAt,outcome,durationSec\n';

describe('CSV import bodies', () => {
  it('maps rows to activities by the header, empty cells meaning absent, across chunk boundaries', async () => {
    const items = await collect([
      HEADER,
      'a1,call_logged,r1,2026-11-27T09:30:00Z,connected,6',
      '0\r\na2,email_sent,r1,2026-11-27T09:30:00Z,,\n',
    ]);
    expect(items).toEqual([
      {
        line: 2,
        raw: {
          activityId: 'a1',
          kind: 'call_logged',
          repId: 'r1',
          occurredAt: '2026-11-27T09:30:00Z',
          outcome: 'connected',
          durationSec: 60,
        },
      },
      {
        line: 3,
        raw: { activityId: 'a2', kind: 'email_sent', repId: 'r1', occurredAt: '2026-11-27T09:30:00Z' },
      },
    ]);
  });

  it('keeps quoted commas, quotes and newlines, numbering a multi-line record by its first line', async () => {
    const items = await collect([
      'activityId,kind,repId,occurredAt,reason,dealId,opportunityId\n',
      'a1,deal_lost,r1,2026-11-27T09:30:00Z,"too ""pricey"", sadly\nsecond line",d,o\na2,email_sent,r1,2026-11-27T09:30:00Z,,,\n',
    ]);
    expect(items).toEqual([
      {
        line: 2,
        raw: expect.objectContaining({ activityId: 'a1', reason: 'too "pricey", sadly\nsecond line' }),
      },
      { line: 4, raw: expect.objectContaining({ activityId: 'a2' }) },
    ]);
  });

  it('reports a malformed record or a wrong field count by line and goes on', async () => {
    const items = await collect([
      HEADER,
      'a1,"bad"x,r1,2026-11-27T09:30:00Z,,\n',
      'a2,email_sent\n',
      'a3,email_sent,r1,2026-11-27T09:30:00Z,,\n',
    ]);
    expect(items).toEqual([
      { line: 2, errors: [{ path: '', message: expect.stringContaining('quoted field') }] },
      { line: 3, errors: [{ path: '', message: 'the row has 2 fields, the header has 6' }] },
      { line: 4, raw: expect.objectContaining({ activityId: 'a3' }) },
    ]);
  });

  it('costs a quote that never closes one line: the lines after it are read again', async () => {
    const rows = [
      'a1,email_sent,"r1,2026-11-27T09:30:00Z,,',
      ...Array.from({ length: 30 }, (_, i) => `b${i},email_sent,r1,2026-11-27T09:30:00Z,,`),
    ];
    const items = await collect([HEADER, `${rows.join('\n')}\n`], 300);
    expect(items[0]).toEqual({
      line: 2,
      errors: [{ path: '', message: expect.stringContaining('not closed') }],
    });
    expect(items.slice(1).map((i) => i.line)).toEqual(Array.from({ length: 30 }, (_, i) => i + 3));
    expect(items.slice(1).every((i) => i.raw !== undefined)).toBe(true);
    // Also at the end of the body.
    const tail = await collect([HEADER, 'a1,email_sent,"r1,x,,\nb1,email_sent,r1,2026-11-27T09:30:00Z,,\n']);
    expect(tail.map((i) => [i.line, i.errors ? 'error' : 'ok'])).toEqual([
      [2, 'error'],
      [3, 'ok'],
    ]);
  });

  it('stops with a 400 on a header that names a column twice or not at all, or on an empty body', async () => {
    await expect(collect(['activityId,kind,kind\n'])).rejects.toMatchObject({ status: 400 });
    await expect(collect(['activityId,,repId\n'])).rejects.toMatchObject({ status: 400 });
    await expect(collect([''])).rejects.toMatchObject({ status: 400 });
  });
});
