import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from './config';
import {
  libpqTlsEnv,
  nodeSslOptions,
  pgClientConfig,
  temporalSqlTls,
  temporalSqlToolTlsFlags,
} from './postgres-tls';
import { scratchDir } from '../test/support/scratch';

const dir = scratchDir('oms-pg-tls-');
const ca = path.join(dir, 'ca.pem');
writeFileSync(ca, 'CA PEM');
const url = (query: string) => `postgres://app:secret@db.internal:5432/oms?${query}`;

describe('TLS to PostgreSQL', () => {
  it('verifies the server against the CA and its host name with sslmode=verify-full', () => {
    expect(nodeSslOptions(url(`sslmode=verify-full&sslrootcert=${ca}`))).toEqual({
      ca: 'CA PEM',
      rejectUnauthorized: true,
      servername: 'db.internal',
    });
  });

  it('checks the chain but not the name with verify-ca, and with require when a CA is given (as libpq)', () => {
    for (const mode of ['verify-ca', 'require']) {
      const options = nodeSslOptions(url(`sslmode=${mode}&sslrootcert=${ca}`));
      expect(options).toMatchObject({ ca: 'CA PEM', rejectUnauthorized: true });
      expect(options && options.checkServerIdentity?.('db.internal', {} as never)).toBeUndefined();
    }
  });

  it('encrypts without checking with a bare require, and stays plaintext without sslmode', () => {
    expect(nodeSslOptions(url('sslmode=require'))).toEqual({ rejectUnauthorized: false });
    expect(nodeSslOptions(url(''))).toBe(false);
  });

  it('hands node-postgres a connection string without ssl words, which it would read its own way', () => {
    expect(pgClientConfig(url(`sslmode=verify-full&sslrootcert=${ca}`)).connectionString).toBe(
      'postgres://app:secret@db.internal:5432/oms',
    );
  });

  it('gives pg_dump, the Temporal server and its SQL tool the same meaning', () => {
    const full = url(`sslmode=verify-full&sslrootcert=${ca}`);
    expect(libpqTlsEnv(full)).toEqual({ PGSSLMODE: 'verify-full', PGSSLROOTCERT: ca });
    expect(temporalSqlTls(full)).toEqual({ enabled: true, enableHostVerification: true, caFile: ca });
    expect(temporalSqlToolTlsFlags(full)).toEqual(['--tls', '--tls-ca-file', ca]);
    const chainOnly = url(`sslmode=verify-ca&sslrootcert=${ca}`);
    expect(temporalSqlTls(chainOnly)).toMatchObject({ enableHostVerification: false });
    expect(temporalSqlToolTlsFlags(chainOnly)).toContain('--tls-disable-host-verification');
    expect(libpqTlsEnv(url(''))).toEqual({ PGSSLMODE: 'disable' });
  });

  it('applies PGSSLMODE and PGSSLROOTCERT to every connection string that names no sslmode', () => {
    const config = loadConfig(
      {
        DATABASE_URL: url(''),
        DATABASE_OWNER_URL: url('sslmode=require'),
        PGSSLMODE: 'verify-full',
        PGSSLROOTCERT: ca,
      },
      false,
    );
    expect(new URL(config.databaseUrl).searchParams.get('sslmode')).toBe('verify-full');
    expect(new URL(config.databaseOwnerUrl).searchParams.get('sslmode')).toBe('require');
    expect(new URL(config.databaseOwnerUrl).searchParams.get('sslrootcert')).toBe(ca);
  });

  it.each([
    [{ DATABASE_URL: url('sslmode=prefer') }, /DATABASE_URL: sslmode=prefer is not supported/],
    [
      { DATABASE_URL: url('sslmode=verify-full&sslrootcert=/nonexistent/ca.pem') },
      /DATABASE_URL: sslrootcert names a file that cannot be read: ENOENT/,
    ],
    [
      { DATABASE_URL: url(''), DATABASE_OWNER_URL: url(`sslmode=verify-ca&sslcert=${ca}`) },
      /DATABASE_OWNER_URL: sslcert and sslkey go together/,
    ],
    [
      { TEMPORAL_ADDRESS: 't:7233', OMS_TEMPORAL_DATABASE_URL: url('sslmode=bogus') },
      /OMS_TEMPORAL_DATABASE_URL: sslmode=bogus/,
    ],
  ])('refuses %j at boot, naming the setting', (env, message) => {
    expect(() => loadConfig(env, false)).toThrow(ConfigError);
    expect(() => loadConfig(env, false)).toThrow(message);
  });
});
