import { JwtVerifier } from '@pacer/auth';
import { contentTypeFor, resolveToken } from './import.command';

describe('pacer import: what it sends', () => {
  it('picks the content type from the extension or --format', () => {
    expect(contentTypeFor('/tmp/a.ndjson')).toBe('application/x-ndjson');
    expect(contentTypeFor('a.JSONL')).toBe('application/x-ndjson');
    expect(contentTypeFor('export.csv')).toBe('text/csv');
    expect(contentTypeFor('export.txt', 'csv')).toBe('text/csv');
    expect(() => contentTypeFor('export.txt')).toThrow(/--format/);
    expect(() => contentTypeFor('a.csv', 'xml')).toThrow(/--format/);
  });

  it('uses --token, else PACER_TOKEN, else mints an ingest token for --tenant', async () => {
    expect(await resolveToken({ token: 'given' }, { PACER_TOKEN: 'env' })).toBe('given');
    expect(await resolveToken({}, { PACER_TOKEN: 'env' })).toBe('env');
    const minted = await resolveToken({ tenant: 'acme' }, { PACER_JWT_SECRET: 's3cret' });
    await expect(new JwtVerifier({ secret: 's3cret' }).verify(minted)).resolves.toMatchObject({
      tenantId: 'acme',
      roles: ['ingest'],
    });
    await expect(resolveToken({}, {})).rejects.toThrow(/no token/);
  });
});
