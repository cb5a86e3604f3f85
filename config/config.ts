import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Every setting the product reads, validated once at boot; see the configuration table in README.md.
 * A class rather than an interface so that Nest can inject it by type.
 */
export abstract class AppConfig {
  abstract dataDir: string;
  /** PostgreSQL connection string: DATABASE_URL, or the embedded server's. */
  abstract databaseUrl: string;
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
  abstract documents: {
    /** A TrueType font (or collection) with Chinese glyphs, embedded into PDF invoices, slips and labels. */
    pdfFont: string;
    /** The face to use inside a font collection (`.ttc`); none for a single font. */
    pdfFontFace: string | undefined;
  };
}

/** Debian's fonts-wqy-microhei (Apache-2.0 or GPL-3+ with font exception); see the README. */
export const DEFAULT_PDF_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

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

/** The connection string of the embedded PostgreSQL for a given port. */
export function embeddedDatabaseUrl(pgPort: number): string {
  return `postgres://postgres:postgres@127.0.0.1:${pgPort}/oms`;
}

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const embeddedPgPort = port(env, 'OMS_PG_PORT', 5433);
  const databaseUrl = env.DATABASE_URL || embeddedDatabaseUrl(embeddedPgPort);
  const temporalPort = port(env, 'OMS_TEMPORAL_PORT', 7233);
  try {
    const url = new URL(databaseUrl);
    if (!['postgres:', 'postgresql:'].includes(url.protocol)) throw new Error('not postgres');
  } catch {
    throw new ConfigError('DATABASE_URL must be a postgres:// connection string');
  }
  const temporalAddress = env.TEMPORAL_ADDRESS || `127.0.0.1:${temporalPort}`;
  if (!/^[\w.-]+:\d+$/.test(temporalAddress)) {
    throw new ConfigError(`TEMPORAL_ADDRESS must be host:port, got "${temporalAddress}"`);
  }
  return {
    dataDir: path.resolve(env.OMS_DATA_DIR || 'data'),
    databaseUrl,
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
    },
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
    documents: pdfFont(env),
  };
}

/** A font named explicitly must exist at boot; the default is checked when a PDF is asked for. */
function pdfFont(env: Env): AppConfig['documents'] {
  const chosen = env.OMS_PDF_FONT;
  if (chosen === undefined || chosen === '') {
    return { pdfFont: DEFAULT_PDF_FONT, pdfFontFace: env.OMS_PDF_FONT_FACE || 'WenQuanYiMicroHei' };
  }
  if (!existsSync(chosen)) throw new ConfigError(`OMS_PDF_FONT names no file: "${chosen}"`);
  return { pdfFont: path.resolve(chosen), pdfFontFace: env.OMS_PDF_FONT_FACE || undefined };
}
