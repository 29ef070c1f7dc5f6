import { once } from 'node:events';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import express from 'express';
import { parse } from 'csv-parse/sync';
import {
  CsvColumnError,
  csvContentDisposition,
  csvNumber,
  csvText,
  csvToString,
  neutraliseCsvText,
  sendCsv,
} from './csv';

interface Line {
  name: string;
  amount: string | number;
}

const columns = [csvText<Line>('name', (r) => r.name), csvNumber<Line>('amount', (r) => r.amount)];

describe('CSV writer', () => {
  it.each(['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'neutralises the text cell %j with a leading quote',
    (value) => {
      expect(neutraliseCsvText(value)).toBe(`'${value}`);
    },
  );

  it.each(['Ann', '', ' =not at start', "'already", '1=1'])('leaves the text cell %j as it is', (value) => {
    expect(neutraliseCsvText(value)).toBe(value);
  });

  it('keeps negative money and numbers in number columns, and neutralises the same text in text columns', async () => {
    const csv = await csvToString(columns, [
      { name: '-12.50', amount: '-12.50' },
      { name: 'Bo', amount: -3 },
      { name: 'Cy', amount: 0.25 },
    ]);
    expect(parse(csv)).toEqual([
      ['name', 'amount'],
      ["'-12.50", '-12.50'],
      ['Bo', '-3'],
      ['Cy', '0.25'],
    ]);
  });

  it('quotes commas, quotes and line breaks, ends records with CRLF and writes nulls as empty cells', async () => {
    const csv = await csvToString(
      [csvText<{ n: string | null }>('n', (r) => r.n), csvNumber<{ n: string | null }>('x', () => null)],
      [{ n: 'a, "b"\nc' }, { n: null }],
    );
    expect(csv).toBe('n,x\r\n"a, ""b""\nc",\r\n,\r\n');
  });

  it.each(['=1+1', '1e5', '12,50', ' 1', ''])('refuses %j in a number column (a programming error)', async (amount) => {
    await expect(csvToString(columns, [{ name: 'x', amount }])).rejects.toBeInstanceOf(CsvColumnError);
  });

  it('refuses a non-finite number', async () => {
    await expect(csvToString(columns, [{ name: 'x', amount: Number.NaN }])).rejects.toBeInstanceOf(CsvColumnError);
  });

  it('names the file safely in Content-Disposition', () => {
    expect(csvContentDisposition('report-s1')).toBe(`attachment; filename="report-s1.csv"; filename*=UTF-8''report-s1.csv`);
    expect(csvContentDisposition('a"b\r\nc/ø.csv')).toBe(
      `attachment; filename="a_b__c__.csv"; filename*=UTF-8''a%22b%0D%0Ac%2F%C3%B8.csv`,
    );
  });

  it('streams an async source to an Express response with the CSV headers', async () => {
    async function* rows(): AsyncGenerator<Line> {
      for (let i = 0; i < 5000; i += 1) yield { name: i === 0 ? '@x' : `rep ${i}`, amount: `${i}.00` };
    }
    const app = express();
    app.get('/x.csv', (_req, res, next) => {
      sendCsv(res, 'x', columns, rows()).catch(next);
    });
    const server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x.csv`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toContain('filename="x.csv"');
      const records = parse(await response.text()) as string[][];
      expect(records).toHaveLength(5001);
      expect(records[1]).toEqual(["'@x", '0.00']);
      expect(records[5000]).toEqual(['rep 4999', '4999.00']);
    } finally {
      server.close();
    }
  });
});
