import { isIP } from 'node:net';
import path from 'node:path';

/**
 * Every setting the product reads, validated once at boot; see the configuration table in README.md.
 * A class rather than an interface so that Nest can inject it by type.
 */
export abstract class AppConfig {
  abstract dataDir: string;
  /** The application's PostgreSQL connection (a role without DDL rights): DATABASE_URL, or the embedded one. */
  abstract databaseUrl: string;
  /**
   * The schema owner's connection, for migrations and for granting the application role its rights:
   * DATABASE_OWNER_URL, the embedded superuser, or else DATABASE_URL (then there is no separation).
   */
  abstract databaseOwnerUrl: string;
  /** The launcher starts the embedded PostgreSQL (no DATABASE_URL given) on this port. */
  abstract embeddedPostgres: { port: number } | null;
  abstract temporal: {
    address: string;
    namespace: string;
    /** The launcher starts the Temporal dev server (no TEMPORAL_ADDRESS given) on these ports. */
    devServer: { port: number; uiPort: number } | null;
    /** Explicit path of the `temporal` CLI binary, when not on PATH or in the Go bin folder. */
    binary: string | undefined;
  };
  abstract api: {
    host: string;
    port: number;
    /** Express's `trust proxy`: which proxies' X-Forwarded-For to believe for the client's address. */
    trustProxy: string | number | false;
  };
  abstract webhooks: {
    /**
     * Hosts (`host` or `host:port`) that webhooks may reach although they resolve to a loopback, private or
     * link-local address; every other such destination is refused.
     */
    allowedHosts: string[];
  };
  abstract logLevel: 'error' | 'warn' | 'log' | 'debug';
  abstract auth: {
    /** HMAC key for bearer tokens; when unset, one is generated into the data folder at first start. */
    tokenSecret: string | undefined;
    /** How long a token is valid, in seconds. */
    tokenTtlSeconds: number;
    /** Sets the password of user `admin` at start; when unset, a random one is generated once. */
    adminPassword: string | undefined;
  };
  abstract notifications: {
    /** Where e-mail goes (smtp:// or smtps:// URL); no e-mail is sent when unset. */
    smtpUrl: string | undefined;
    /** The From header of every e-mail. */
    mailFrom: string;
    /** Attempts for each e-mail or webhook call before it is marked failed. */
    deliveryAttempts: number;
    /** Wait before the first retry of a failed delivery, in milliseconds; doubled after each failure. */
    retryIntervalMs: number;
  };
}

/** Raised when the environment holds a setting that cannot be used; the message names the variable. */
export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function port(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new ConfigError(`${name} must be a TCP port between 1 and 65535, got "${raw}"`);
  }
  return value;
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new ConfigError(`${name} must be a positive whole number, got "${raw}"`);
  return value;
}

/** A secret setting; its value is never echoed in an error. */
function secret(env: Env, name: string, minLength: number): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (value.length < minLength)
    throw new ConfigError(`${name} must be at least ${minLength} characters long`);
  return value;
}

function loopbackHost(env: Env, name: string, fallback: string): string {
  const value = env[name] || fallback;
  if (!/^[\w.:-]+$/.test(value))
    throw new ConfigError(`${name} must be a host name or address, got "${value}"`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function smtpUrl(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  try {
    if (['smtp:', 'smtps:'].includes(new URL(value).protocol)) return value;
  } catch {
    // fall through
  }
  throw new ConfigError(`${name} must be an smtp:// or smtps:// URL`);
}

/** The connection string of the embedded PostgreSQL's superuser (owner of the schema) for a given port. */
export function embeddedDatabaseUrl(pgPort: number): string {
  return `postgres://postgres:postgres@127.0.0.1:${pgPort}/oms`;
}

/** The embedded PostgreSQL's application role: loopback only, no rights beyond the tables' rows. */
export function embeddedAppDatabaseUrl(pgPort: number): string {
  return `postgres://oms_app:oms_app@127.0.0.1:${pgPort}/oms`;
}

function postgresUrl(name: string, value: string): string {
  try {
    const url = new URL(value);
    if (['postgres:', 'postgresql:'].includes(url.protocol)) return value;
  } catch {
    // fall through
  }
  throw new ConfigError(`${name} must be a postgres:// connection string`);
}

const PROXY_KEYWORDS = ['loopback', 'linklocal', 'uniquelocal'];

/** OMS_TRUST_PROXY: unset (trust none), a number of hops, or addresses, subnets and keywords. */
function trustProxy(env: Env, name: string): string | number | false {
  const raw = (env[name] ?? '').trim();
  if (raw === '' || raw === 'false') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  const entries = raw.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const ok =
      PROXY_KEYWORDS.includes(entry) ||
      (isIP(address ?? '') !== 0 && (prefix === undefined || /^\d{1,3}$/.test(prefix)));
    if (!ok) {
      throw new ConfigError(
        `${name} must be a number of hops or a comma-separated list of addresses, subnets and ${PROXY_KEYWORDS.join('/')}, got "${entry}"`,
      );
    }
  }
  return entries.join(',');
}

function hostList(env: Env, name: string): string[] {
  const raw = (env[name] ?? '').trim();
  if (raw === '') return [];
  const entries = raw.split(',').map((entry) => entry.trim().toLowerCase());
  for (const entry of entries) {
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/.test(entry))
      throw new ConfigError(`${name} must be a comma-separated list of host or host:port, got "${entry}"`);
  }
  return entries;
}

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const embeddedPgPort = port(env, 'OMS_PG_PORT', 5433);
  const databaseUrl = postgresUrl('DATABASE_URL', env.DATABASE_URL || embeddedAppDatabaseUrl(embeddedPgPort));
  const databaseOwnerUrl = postgresUrl(
    'DATABASE_OWNER_URL',
    env.DATABASE_OWNER_URL || (env.DATABASE_URL ? databaseUrl : embeddedDatabaseUrl(embeddedPgPort)),
  );
  const temporalPort = port(env, 'OMS_TEMPORAL_PORT', 7233);
  const temporalAddress = env.TEMPORAL_ADDRESS || `127.0.0.1:${temporalPort}`;
  if (!/^[\w.-]+:\d+$/.test(temporalAddress)) {
    throw new ConfigError(`TEMPORAL_ADDRESS must be host:port, got "${temporalAddress}"`);
  }
  return {
    dataDir: path.resolve(env.OMS_DATA_DIR || 'data'),
    databaseUrl,
    databaseOwnerUrl,
    embeddedPostgres: env.DATABASE_URL ? null : { port: embeddedPgPort },
    temporal: {
      address: temporalAddress,
      namespace: env.TEMPORAL_NAMESPACE || 'default',
      devServer: env.TEMPORAL_ADDRESS
        ? null
        : { port: temporalPort, uiPort: port(env, 'OMS_TEMPORAL_UI_PORT', 8233) },
      binary: env.OMS_TEMPORAL_BIN || undefined,
    },
    api: {
      host: loopbackHost(env, 'OMS_API_HOST', '127.0.0.1'),
      port: port(env, 'OMS_API_PORT', 3000),
      trustProxy: trustProxy(env, 'OMS_TRUST_PROXY'),
    },
    webhooks: { allowedHosts: hostList(env, 'OMS_WEBHOOK_ALLOWED_HOSTS') },
    logLevel: oneOf(env, 'OMS_LOG_LEVEL', ['error', 'warn', 'log', 'debug'] as const, 'log'),
    auth: {
      tokenSecret: secret(env, 'OMS_TOKEN_SECRET', 32),
      tokenTtlSeconds: positiveInt(env, 'OMS_TOKEN_TTL_SECONDS', 8 * 3600),
      adminPassword: secret(env, 'OMS_ADMIN_PASSWORD', 12),
    },
    notifications: {
      smtpUrl: smtpUrl(env, 'OMS_SMTP_URL'),
      mailFrom: env.OMS_MAIL_FROM || 'Order Management <oms@localhost>',
      deliveryAttempts: positiveInt(env, 'OMS_DELIVERY_ATTEMPTS', 8),
      retryIntervalMs: positiveInt(env, 'OMS_DELIVERY_RETRY_MS', 5000),
    },
  };
}
