import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertOk, findExecutable, runSync } from './commands';

/**
 * A throwaway certificate authority for tests of TLS connections: its own CA, a server certificate
 * for 127.0.0.1 / localhost (used by the secured Kafka broker and the TLS Postgres), a client
 * certificate (mutual TLS), and a second, unrelated CA that trusts none of them (the "untrusted CA"
 * cases). Made with the openssl command line, as an operator would; nothing here is a secret.
 */
export interface TestPki {
  dir: string;
  /** PEM of the CA that signed the server and client certificates. */
  caFile: string;
  /** PEM of a CA that signed nothing here: a client trusting only it must refuse the server. */
  untrustedCaFile: string;
  serverCertFile: string;
  /** Unencrypted PKCS#8 key of the server certificate. */
  serverKeyFile: string;
  /** Key followed by certificate, the layout Kafka's `ssl.keystore.type=PEM` reads. */
  serverKeystoreFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** A certificate for another host name (`elsewhere.invalid`), signed by the trusted CA. */
  otherHostCertFile: string;
  otherHostKeyFile: string;
  /** Key followed by certificate of `otherHostCertFile`. */
  otherHostKeystoreFile: string;
}

const DAYS = '3650';

function openssl(args: string[], what: string): void {
  const bin = findExecutable('openssl');
  if (!bin) throw new Error('openssl is needed to make the test certificates (apt-get install -y openssl)');
  assertOk(`openssl ${what}`, runSync(bin, args, { timeoutMs: 60_000 }));
}

function makeCa(dir: string, name: string, cn: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  openssl(
    ['req', '-x509', '-new', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', DAYS, '-keyout', key, '-out', cert,
      '-subj', `/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    `CA ${name}`,
  );
  return { cert, key };
}

function makeLeaf(dir: string, name: string, cn: string, sans: string, ca: { cert: string; key: string }): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${cn}`], `${name} key`);
  writeFileSync(
    ext,
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      ...(sans ? [`subjectAltName=${sans}`] : []),
      '',
    ].join('\n'),
  );
  openssl(
    ['x509', '-req', '-sha256', '-days', DAYS, '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', cert, '-extfile', ext],
    `${name} certificate`,
  );
  rmSync(csr, { force: true });
  rmSync(ext, { force: true });
  return { cert, key };
}

/**
 * Makes the PKI in `dir`, or returns the one already there (a secured broker that is still running
 * keeps the certificates it started with, so they are never replaced under it).
 */
export function ensureTestPki(dir: string): TestPki {
  const pki: TestPki = {
    dir,
    caFile: join(dir, 'ca.pem'),
    untrustedCaFile: join(dir, 'untrusted-ca.pem'),
    serverCertFile: join(dir, 'server.pem'),
    serverKeyFile: join(dir, 'server.key'),
    serverKeystoreFile: join(dir, 'server.keystore.pem'),
    clientCertFile: join(dir, 'client.pem'),
    clientKeyFile: join(dir, 'client.key'),
    otherHostCertFile: join(dir, 'other-host.pem'),
    otherHostKeyFile: join(dir, 'other-host.key'),
    otherHostKeystoreFile: join(dir, 'other-host.keystore.pem'),
  };
  const complete = join(dir, '.complete');
  if (existsSync(complete)) return pki;
  mkdirSync(dir, { recursive: true });
  const ca = makeCa(dir, 'ca', 'Pacer test CA');
  makeCa(dir, 'untrusted-ca', 'Pacer untrusted test CA');
  makeLeaf(dir, 'server', 'localhost', 'DNS:localhost,IP:127.0.0.1', ca);
  makeLeaf(dir, 'client', 'pacer-test-client', '', ca);
  makeLeaf(dir, 'other-host', 'elsewhere.invalid', 'DNS:elsewhere.invalid', ca);
  writeFileSync(pki.serverKeystoreFile, readFileSync(pki.serverKeyFile, 'utf8') + readFileSync(pki.serverCertFile, 'utf8'));
  writeFileSync(pki.otherHostKeystoreFile, readFileSync(pki.otherHostKeyFile, 'utf8') + readFileSync(pki.otherHostCertFile, 'utf8'));
  writeFileSync(complete, new Date().toISOString());
  return pki;
}
