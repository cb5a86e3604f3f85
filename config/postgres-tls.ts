/**
 * TLS to PostgreSQL, said the libpq way in each connection string (`?sslmode=verify-full&sslrootcert=ca.pem`,
 * optionally `sslcert`/`sslkey` for a client certificate), or for every string that says nothing by
 * PGSSLMODE / PGSSLROOTCERT. Each kind of connection the product opens gets the same meaning from here:
 * node-postgres and the ORM (which ignore or half-read the URL's ssl words) as `ssl` options, pg_dump and
 * pg_restore as PG* variables, and the Temporal server and its SQL tool as their TLS settings.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';

/** What libpq's sslmode values mean here; `allow` and `prefer` (fall back to plaintext) are refused. */
export type PgSslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';
const MODES: readonly string[] = ['disable', 'require', 'verify-ca', 'verify-full'];

export interface PostgresTls {
  mode: PgSslMode;
  /** The CA file that must have signed the server's certificate; `system` or none: the system's CAs. */
  rootCert: string | undefined;
  /** A client certificate and its key, for servers that ask for one. */
  cert: string | undefined;
  key: string | undefined;
}

/** Raised for a connection string whose TLS words cannot be used; the message names the setting. */
export class PostgresTlsError extends Error {}

/** The TLS settings a connection string carries (no sslmode: plaintext, as before). */
export function postgresTls(url: string): PostgresTls {
  const params = new URL(url).searchParams;
  const raw = params.get('sslmode') ?? 'disable';
  if (!MODES.includes(raw))
    throw new PostgresTlsError(
      `sslmode=${raw} is not supported: use disable, require, verify-ca or verify-full (allow and prefer would fall back to plaintext)`,
    );
  const rootCert = params.get('sslrootcert') ?? undefined;
  return {
    // As libpq: with a root certificate given, `require` checks the chain as verify-ca does.
    mode: raw === 'require' && rootCert && rootCert !== 'system' ? 'verify-ca' : (raw as PgSslMode),
    rootCert,
    cert: params.get('sslcert') ?? undefined,
    key: params.get('sslkey') ?? undefined,
  };
}

/**
 * Checks a connection string's TLS words at boot (mode known, files readable, certificate with its key)
 * and adds PGSSLMODE / PGSSLROOTCERT to one that names no sslmode of its own.
 */
export function withPostgresTls(name: string, url: string, env: Record<string, string | undefined>): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('sslmode') && env.PGSSLMODE) parsed.searchParams.set('sslmode', env.PGSSLMODE);
  if (!parsed.searchParams.has('sslrootcert') && env.PGSSLROOTCERT)
    parsed.searchParams.set('sslrootcert', env.PGSSLROOTCERT);
  const changed = parsed.toString() !== new URL(url).toString();
  let tls: PostgresTls;
  try {
    tls = postgresTls(parsed.toString());
  } catch (error) {
    throw new PostgresTlsError(`${name}: ${(error as Error).message}`);
  }
  for (const [word, file] of [
    ['sslrootcert', tls.rootCert === 'system' ? undefined : tls.rootCert],
    ['sslcert', tls.cert],
    ['sslkey', tls.key],
  ] as const) {
    if (!file) continue;
    try {
      accessSync(file, constants.R_OK);
    } catch (error) {
      throw new PostgresTlsError(
        `${name}: ${word} names a file that cannot be read: ${(error as Error).message}`,
      );
    }
  }
  if (Boolean(tls.cert) !== Boolean(tls.key))
    throw new PostgresTlsError(`${name}: sslcert and sslkey go together (a client certificate and its key)`);
  return changed ? parsed.toString() : url;
}

/** The connection string without its ssl words, for drivers that would read them their own way. */
export function withoutTlsWords(url: string): string {
  const parsed = new URL(url);
  for (const key of [...parsed.searchParams.keys()])
    if (key.startsWith('ssl') || key === 'uselibpqcompat') parsed.searchParams.delete(key);
  return parsed.toString();
}

/** node-postgres's `ssl` option for a connection string: false for plaintext. */
export function nodeSslOptions(url: string): ConnectionOptions | false {
  const tls = postgresTls(url);
  if (tls.mode === 'disable') return false;
  const host = decodeURIComponent(new URL(url).hostname).replace(/^\[|\]$/g, '');
  const files = {
    ...(tls.rootCert && tls.rootCert !== 'system' ? { ca: readFileSync(tls.rootCert, 'utf8') } : {}),
    ...(tls.cert && tls.key
      ? { cert: readFileSync(tls.cert, 'utf8'), key: readFileSync(tls.key, 'utf8') }
      : {}),
  };
  switch (tls.mode) {
    case 'require':
      // Encrypted, the server's certificate not checked (libpq's `require` without a root certificate).
      return { ...files, rejectUnauthorized: false };
    case 'verify-ca':
      return { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ...files, rejectUnauthorized: true, ...(isIP(host) ? {} : { servername: host }) };
  }
}

/** node-postgres's client settings for a connection string. */
export function pgClientConfig(url: string): { connectionString: string; ssl: ConnectionOptions | false } {
  return { connectionString: withoutTlsWords(url), ssl: nodeSslOptions(url) };
}

/** libpq's variables for pg_dump, pg_restore and psql (which read them the same way). */
export function libpqTlsEnv(url: string): Record<string, string> {
  const tls = postgresTls(url);
  if (tls.mode === 'disable') return { PGSSLMODE: 'disable' };
  return {
    PGSSLMODE: tls.mode,
    ...(tls.rootCert ? { PGSSLROOTCERT: tls.rootCert } : {}),
    ...(tls.cert && tls.key ? { PGSSLCERT: tls.cert, PGSSLKEY: tls.key } : {}),
  };
}

/** The Temporal server's `sql.tls` block (its PostgreSQL plugin turns it into sslmode and files). */
export function temporalSqlTls(url: string): Record<string, unknown> | undefined {
  const tls = postgresTls(url);
  if (tls.mode === 'disable') return undefined;
  return {
    enabled: true,
    enableHostVerification: tls.mode === 'verify-full',
    ...(tls.rootCert && tls.rootCert !== 'system' ? { caFile: tls.rootCert } : {}),
    ...(tls.cert && tls.key ? { certFile: tls.cert, keyFile: tls.key } : {}),
  };
}

/** The same settings as flags of Temporal's SQL schema tool. */
export function temporalSqlToolTlsFlags(url: string): string[] {
  const tls = postgresTls(url);
  if (tls.mode === 'disable') return [];
  return [
    '--tls',
    ...(tls.rootCert && tls.rootCert !== 'system' ? ['--tls-ca-file', tls.rootCert] : []),
    ...(tls.cert && tls.key ? ['--tls-cert-file', tls.cert, '--tls-key-file', tls.key] : []),
    ...(tls.mode === 'verify-full' ? [] : ['--tls-disable-host-verification']),
  ];
}

const TLS_REFUSALS: [RegExp, string][] = [
  [
    /self[- ]signed certificate|unable to verify|unable to get (local )?issuer|certificate has expired/i,
    "the server's certificate is not signed by the CA in sslrootcert (or it has expired)",
  ],
  [
    /Hostname\/IP does not match|altnames/i,
    "the server's certificate is not for this host name (sslmode=verify-full checks it)",
  ],
  [
    /does not support SSL|server does not support/i,
    'the server does not offer TLS, but the connection string asks for it',
  ],
  [
    /pg_hba\.conf.*no encryption|SSL off/i,
    'the server requires TLS: add sslmode=verify-full and sslrootcert to the connection string',
  ],
];

/**
 * A PostgreSQL connection error said plainly when TLS refused it (which side and what to set); other
 * errors are returned as they are.
 */
export function explainPostgresError(error: unknown, name: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  for (const [pattern, reason] of TLS_REFUSALS)
    if (pattern.test(message))
      return new PostgresTlsError(`PostgreSQL refused the TLS connection of ${name}: ${reason} (${message})`);
  return error instanceof Error ? error : new Error(message);
}
