/**
 * Certificates made at test time with openssl (nothing private is ever committed): a test CA, a server
 * certificate for loopback, a client certificate it signed, and a second CA with its own client
 * certificate, which a server that trusts only the first must refuse.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TestCertificates {
  dir: string;
  /** The CA that signed the server's and the client's certificates. */
  ca: string;
  server: { cert: string; key: string };
  client: { cert: string; key: string };
  /** Another CA, which no test server trusts, and a client certificate signed by it. */
  otherCa: string;
  otherClient: { cert: string; key: string };
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA certificate and key (P-256, valid two days). */
function makeCa(dir: string, name: string): void {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-subj',
      `/CN=OMS ${name} test CA`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
}

/** A leaf certificate signed by `ca`, for a server (loopback names) or a client. */
function makeLeaf(dir: string, ca: string, name: string, usage: 'serverAuth' | 'clientAuth'): void {
  openssl(
    [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${usage === 'serverAuth' ? 'localhost' : name}`,
    ],
    dir,
  );
  const extensions = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    `extendedKeyUsage=${usage}`,
    ...(usage === 'serverAuth' ? ['subjectAltName=DNS:localhost,IP:127.0.0.1'] : []),
  ];
  writeFileSync(path.join(dir, `${name}.ext`), extensions.join('\n') + '\n');
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.pem`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    ],
    dir,
  );
  chmodSync(path.join(dir, `${name}.key`), 0o600);
}

/** Writes a fresh set of test certificates into `dir`. */
export function makeTestCertificates(dir: string): TestCertificates {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  makeCa(dir, 'ca');
  makeLeaf(dir, 'ca', 'server', 'serverAuth');
  makeLeaf(dir, 'ca', 'client', 'clientAuth');
  makeCa(dir, 'other-ca');
  makeLeaf(dir, 'other-ca', 'other-client', 'clientAuth');
  const file = (name: string) => path.join(dir, name);
  return {
    dir,
    ca: file('ca.pem'),
    server: { cert: file('server.pem'), key: file('server.key') },
    client: { cert: file('client.pem'), key: file('client.key') },
    otherCa: file('other-ca.pem'),
    otherClient: { cert: file('other-client.pem'), key: file('other-client.key') },
  };
}
