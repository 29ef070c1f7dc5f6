import { LookupAddress } from 'node:dns';
import { guardedLookup, send } from './http-sender';

function resolve(hostname: string, allowLoopback: boolean): Promise<{ error?: Error; addresses?: LookupAddress[] }> {
  return new Promise((done) => {
    guardedLookup({ allowLoopback })(hostname, { all: true }, (error: NodeJS.ErrnoException | null, addresses: string | LookupAddress[]) =>
      done(error ? { error } : { addresses: addresses as LookupAddress[] }),
    );
  });
}

describe('the delivery-time address check', () => {
  it('refuses a name that resolves to loopback in production, whatever the URL looked like at creation', async () => {
    const { error } = await resolve('localhost', false);
    expect(error?.message).toMatch(/localhost resolves to a refused address/);
  });

  it('lets it through outside production', async () => {
    const { addresses } = await resolve('localhost', true);
    expect(addresses?.length).toBeGreaterThan(0);
  });

  it('never sends to a refused URL, and says so as a permanent failure', async () => {
    await expect(send({ url: 'https://10.0.0.1/hook', headers: {}, body: '{}' }, { allowLoopback: false }, 1_000)).resolves.toEqual({
      kind: 'permanent',
      error: 'destination URL must not point at 10.0.0.1, which is a private, loopback, link-local or reserved address',
    });
  });
});
