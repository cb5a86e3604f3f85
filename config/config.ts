import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { messageIdDomainOf } from '../domain/inbound-mail';
import { TASK_QUEUE } from '../workflows/order.definitions';
import { ConfigError } from './config-error';
import { readEmbeddedCredentials } from './embedded-credentials';
import { PostgresTlsError, withPostgresTls } from './postgres-tls';
import {
  TemporalSettingsError,
  isExternalTemporal,
  loadTemporalEndpoint,
  type TemporalConnectionSettings,
} from './temporal';

export { ConfigError };

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
    /**
     * TLS (server CA, server name, client certificate and key), API key and gRPC headers, read through
     * `@temporalio/envconfig` from the TEMPORAL_* variables and temporal.toml profiles (config/temporal.ts).
     */
    connection: TemporalConnectionSettings;
    /**
     * The task queue orders, deliveries and scheduled backups run on: the API starts workflows there and the
     * workers poll only it, so workers of another queue in the same namespace never take these tasks.
     * Running orders stay on the queue they started on: changing it leaves them to workers of the old one.
     */
    taskQueue: string;
    /**
     * The launcher starts the Temporal dev server on these ports when none of TEMPORAL_ADDRESS,
     * TEMPORAL_PROFILE and TEMPORAL_CONFIG_FILE is set; null when Temporal is external.
     */
    devServer: { port: number; uiPort: number } | null;
    /** Explicit path of the `temporal` CLI binary, when not on PATH or in the Go bin folder. */
    binary: string | undefined;
    /**
     * What the launcher runs when no TEMPORAL_ADDRESS is given: the CLI dev server on SQLite (`dev`) or the
     * Temporal server built from Go modules on the embedded PostgreSQL (`postgres`).
     */
    mode: 'dev' | 'postgres';
    /** Binaries of the Temporal server and its SQL schema tool (`postgres` mode); built with Go when absent. */
    serverBinary: string | undefined;
    sqlToolBinary: string | undefined;
    /** Where Temporal keeps its state, so that backups can include it. */
    persistence: TemporalPersistence;
    /** The Temporal web UI, for admins' links to an order's workflow; null when unknown. */
    uiUrl: string | null;
  };
  abstract api: {
    host: string;
    port: number;
    /** The built web console served at `/`; the API runs without it when the folder has no index.html. */
    consoleDir: string;
    /** Express's `trust proxy`: which proxies' X-Forwarded-For to believe for the client's address. */
    trustProxy: string | number | false;
    /** Live event streams (`/api/events`) one user may hold open at once on one API instance. */
    eventStreamsPerUser: number;
    /** The bearer token `/metrics` requires; null: it answers anyone who reaches it (loopback by default). */
    metricsToken: string | null;
    /**
     * How old the business gauges of `/metrics` (orders, deliveries, destinations, mailboxes) may be: they are
     * counted at most once per this many seconds, whatever the number of scrapes.
     */
    metricsRefreshSeconds: number;
    /**
     * CPU-heavy requests (PDFs, history replays) one API process runs at once, and how many more wait their
     * turn; beyond that they are answered 503 with Retry-After.
     */
    heavyWork: { concurrency: number; queue: number };
  };
  abstract webhooks: {
    /**
     * Hosts (`host` or `host:port`) that webhooks may reach although they resolve to a loopback, private or
     * link-local address; every other such destination is refused.
     */
    allowedHosts: string[];
  };
  abstract logLevel: 'error' | 'warn' | 'log' | 'debug';
  /** JSON lines for machines, or coloured lines for a person at a terminal. */
  abstract logFormat: 'json' | 'pretty';
  /** Where JSON log lines are appended instead of stdout (the tests keep each file's logs apart); null: stdout. */
  abstract logFile: string | null;
  abstract worker: {
    /** The worker's own health and metrics endpoint (`/health`, `/metrics`); null turns it off. */
    http: { host: string; port: number } | null;
    /** Loopback port of the Temporal SDK's Prometheus exporter, which the worker's `/metrics` includes. */
    sdkMetricsPort: number;
    /** Concurrent activity executions and workflow tasks per worker process. */
    maxConcurrentActivities: number;
    maxConcurrentWorkflowTasks: number;
    /**
     * PostgreSQL connections per worker process. Local activities run inside workflow tasks, so a task that
     * waits for a connection holds its workflow task open: the pool must not be the bottleneck.
     */
    dbPoolSize: number;
    /**
     * Workflows a worker process keeps in memory between their tasks (the SDK's sticky cache). A task for
     * one that is not cached replays its history first; the cache bounds the worker's memory however many
     * orders wait.
     */
    cachedWorkflows: number;
    /** How many worker processes `npm start` runs. */
    processes: number;
  };
  /** How long a stopping process waits for in-flight requests and tasks before it gives up on them. */
  abstract shutdownGraceMs: number;
  abstract backup: {
    /** Where archives are written and listed. */
    dir: string;
    /** Cron expression of the scheduled backup (a Temporal Schedule); null means no scheduled backups. */
    cron: string | null;
    /** How many archives the scheduled backup keeps; older ones are deleted after each new one. */
    keep: number;
  };
  abstract auth: {
    /** HMAC key for bearer tokens; when unset, one is generated into the data folder at first start. */
    tokenSecret: string | undefined;
    /** How long a token is valid, in seconds. */
    tokenTtlSeconds: number;
    /** Sets the password of user `admin` at start; when unset, a random one is generated once. */
    adminPassword: string | undefined;
    /** Requests one API key may make per minute (per API process); more are answered 429 with Retry-After. */
    apiKeyRequestsPerMinute: number;
  };
  /** The key the API signs staff actions with, so that workers carry out only actions the API sent. */
  abstract commands: {
    /** HMAC key; when unset, generated once into the data folder. The API and every worker need the same. */
    key: string | undefined;
    /** Earlier keys still accepted, while actions signed with them may be on their way (rotation). */
    previousKeys: string[];
  };
  /** The key of the archived records' seals: workers seal, the API checks. */
  abstract archive: {
    /** HMAC key; when unset, generated once into the data folder. The API and every worker need the same. */
    sealKey: string | undefined;
    /** Earlier keys, for records sealed before the key was rotated. */
    previousSealKeys: string[];
  };
  abstract notifications: {
    /** Where e-mail goes (smtp:// or smtps:// URL); no e-mail is sent when unset. */
    smtpUrl: string | undefined;
    /** The From header of every e-mail. */
    mailFrom: string;
    /** The domain of the product's Message-IDs: OMS_MAIL_FROM's (docs/inbound-mail.md). */
    messageIdDomain: string;
    /** Attempts for each e-mail or webhook call before it is marked failed. */
    deliveryAttempts: number;
    /**
     * Wait before the next attempt of a delivery that failed on its own account (a webhook answering 4xx, a
     * rejected address), in milliseconds; doubled after each such failure, at most ten minutes.
     */
    retryIntervalMs: number;
    /** How long one e-mail or webhook call may take before it counts as failed: a slow receiver is cut off. */
    sendTimeoutMs: number;
    /** Sends per second to one destination at most, over all workers: a backlog drains at this rate. */
    ratePerDestination: number;
    /** Calls in flight to one destination at once. */
    concurrencyPerDestination: number;
    /** Each destination's circuit breaker (see docs/deliveries.md). */
    breaker: { threshold: number; backoffMs: number; maxBackoffMs: number };
    /**
     * The daily digest for staff who chose it: cron expression and IANA time zone of the Temporal Schedule
     * that sends it; null cron: no digest is sent (the schedule is removed).
     */
    digest: { cron: string | null; timeZone: string };
  };
  /** Mailboxes read for mail that comes in (docs/inbound-mail.md); none when OMS_INBOUND_IMAP_URL is unset. */
  abstract inbound: {
    mailboxes: InboundMailbox[];
    /** How long a reader waits before it looks at a mailbox again when the last look found nothing. */
    pollMs: number;
    /** Messages from one sender within an hour beyond which the rest are taken for a machine's. */
    senderLimit: number;
    /** Bytes per attachment kept at most (OMS_INBOUND_ATTACHMENT_MAX_BYTES, default 5 MB). */
    attachmentMaxBytes: number;
  };
  abstract tracking: {
    /** HMAC key of the customers' tracking links; when unset, generated once into the data folder. */
    secret: string | undefined;
    /** Days after an order ends (completed, cancelled, rejected) that its tracking link keeps working. */
    linkDays: number;
    /** Where customers reach this service, for the links in their e-mails (no trailing slash). */
    publicUrl: string;
  };
  /**
   * OpenTelemetry traces, exported over OTLP/HTTP when an endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT or
   * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT); null: no tracing is installed at all.
   */
  abstract tracing: {
    /** Where spans go: the traces URL itself (`…/v1/traces`). */
    tracesUrl: string;
    protocol: 'http/protobuf' | 'http/json';
    /** OTEL_SERVICE_NAME, else `oms-api` or `oms-worker` by process. */
    serviceName: string | undefined;
  } | null;
  abstract documents: {
    /** A TrueType font (or collection) with Chinese glyphs, embedded into PDF invoices, slips and labels. */
    pdfFont: string;
    /** The face to use inside a font collection (`.ttc`); none for a single font. */
    pdfFontFace: string | undefined;
  };
}

/** One IMAP mailbox to read, from OMS_INBOUND_IMAP_URL. */
export interface InboundMailbox {
  /** `user@host:port/folder`: names it in /health and in the database, without its password. */
  key: string;
  host: string;
  port: number;
  /** imaps:// (TLS from the first byte) rather than imap://. */
  secure: boolean;
  user: string;
  password: string;
  folder: string;
}

/** Temporal's own databases: the dev server's SQLite file, PostgreSQL databases, or unknown (external). */
export type TemporalPersistence =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; databaseUrl: string; visibilityUrl: string }
  | { kind: 'none' };

/** Debian's fonts-wqy-microhei (Apache-2.0 or GPL-3+ with font exception); see the README. */
export const DEFAULT_PDF_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

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

function wholeNumber(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new ConfigError(`${name} must be a whole number (0 or more), got "${raw}"`);
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

/** Comma-separated secrets (earlier keys kept for a rotation); none when unset. */
function secretList(env: Env, name: string, minLength: number): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  const values = raw.split(',').map((value) => value.trim());
  if (values.some((value) => value.length < minLength))
    throw new ConfigError(`${name} must list keys of at least ${minLength} characters, separated by commas`);
  return values;
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

/** OMS_INBOUND_IMAP_URL: comma-separated `imap://` or `imaps://user:password@host[:port][/folder]` URLs. */
function inboundMailboxes(env: Env, name: string): InboundMailbox[] {
  const value = env[name];
  if (value === undefined || value.trim() === '') return [];
  const mailboxes = value.split(',').map((raw): InboundMailbox => {
    let url: URL;
    try {
      url = new URL(raw.trim());
    } catch {
      throw new ConfigError(`${name} must list imap:// or imaps:// URLs, got one that is no URL`);
    }
    const secure = url.protocol === 'imaps:';
    if (!secure && url.protocol !== 'imap:')
      throw new ConfigError(`${name} must list imap:// or imaps:// URLs, got ${url.protocol}//`);
    if (!url.username || !url.hostname)
      throw new ConfigError(`${name}: each URL needs a user and a host (imaps://user:password@host/INBOX)`);
    const user = decodeURIComponent(url.username);
    const port = url.port ? Number(url.port) : secure ? 993 : 143;
    const folder = decodeURIComponent(url.pathname.replace(/^\/+/, '')) || 'INBOX';
    return {
      key: `${user}@${url.hostname}:${port}/${folder}`,
      host: url.hostname,
      port,
      secure,
      user,
      password: decodeURIComponent(url.password),
      folder,
    };
  });
  const keys = mailboxes.map((m) => m.key);
  const repeated = keys.find((key, i) => keys.indexOf(key) !== i);
  if (repeated) throw new ConfigError(`${name} names the mailbox ${repeated} twice`);
  return mailboxes;
}

function optionalPostgresUrl(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  return postgresUrl(name, value, env);
}

/** An http(s) URL without a trailing slash, or the fallback when unset. */
function httpUrl(env: Env, name: string, fallback: string | null): string | null {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  try {
    const url = new URL(value);
    if (['http:', 'https:'].includes(url.protocol) && !url.search && !url.hash)
      return url.toString().replace(/\/+$/, '');
  } catch {
    // fall through
  }
  throw new ConfigError(`${name} must be an http:// or https:// URL without query, got "${value}"`);
}

/** Five cron fields of digits, `*`, `/`, `-` and `,` (Temporal checks the rest when it takes the schedule). */
function cron(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  if (!value) return null;
  const fields = value.split(/\s+/);
  if (fields.length !== 5 || !fields.every((field) => /^[\d*/,-]+$/.test(field)))
    throw new ConfigError(
      `${name} must be a cron expression of five fields (e.g. "0 3 * * *"), got "${value}"`,
    );
  return value;
}

/** A Temporal task queue name: letters, digits and `._-`, at most 200 characters. */
function taskQueue(env: Env, name: string, fallback: string): string {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^[\w.-]{1,200}$/.test(value))
    throw new ConfigError(`${name} must be letters, digits, ".", "_" or "-" (at most 200), got "${value}"`);
  return value;
}

function portOrOff(env: Env, name: string, fallback: number): number | null {
  return env[name] === 'off' ? null : port(env, name, fallback);
}

/** The same database on the same server under another name (Temporal's databases beside the app's). */
export function siblingDatabaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** `user:password@` of a connection string; the user alone before the first start made a password. */
const userinfo = (user: string, password: string | undefined) =>
  password ? `${user}:${password}@` : `${user}@`;

/**
 * The connection string of the embedded PostgreSQL's superuser (owner of the schema) for a given port,
 * with the password generated at the first start (config/embedded-credentials.ts).
 */
export function embeddedDatabaseUrl(pgPort: number, password?: string): string {
  return `postgres://${userinfo('postgres', password)}127.0.0.1:${pgPort}/oms`;
}

/** The embedded PostgreSQL's application role: loopback only, no rights beyond the tables' rows. */
export function embeddedAppDatabaseUrl(pgPort: number, password?: string): string {
  return `postgres://${userinfo('oms_app', password)}127.0.0.1:${pgPort}/oms`;
}

/** A postgres:// URL; its TLS words (sslmode, sslrootcert, …, else PGSSLMODE/PGSSLROOTCERT) checked. */
function postgresUrl(name: string, value: string, env: Env): string {
  let valid = false;
  try {
    valid = ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
  } catch {
    // not a URL
  }
  if (!valid) throw new ConfigError(`${name} must be a postgres:// connection string`);
  try {
    return withPostgresTls(name, value, env);
  } catch (error) {
    if (error instanceof PostgresTlsError) throw new ConfigError(error.message);
    throw error;
  }
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

export interface LoadConfigOptions {
  /**
   * Whether an external Temporal's settings may come from a temporal.toml file as well as from the
   * variables (true by default); the tests turn it off so that no developer's file steers them.
   */
  temporalConfigFile?: boolean;
}

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(
  env: Env = process.env,
  stdoutIsTTY = Boolean(process.stdout.isTTY),
  options: LoadConfigOptions = {},
): AppConfig {
  const embeddedPgPort = port(env, 'OMS_PG_PORT', 5433);
  const dataDir = path.resolve(env.OMS_DATA_DIR || 'data');
  // The embedded PostgreSQL's passwords, once its first start has generated them (the launcher reads the
  // configuration again after starting it).
  const embedded = env.DATABASE_URL ? null : readEmbeddedCredentials(dataDir);
  const databaseUrl = postgresUrl(
    'DATABASE_URL',
    env.DATABASE_URL || embeddedAppDatabaseUrl(embeddedPgPort, embedded?.app),
    env,
  );
  const databaseOwnerUrl = postgresUrl(
    'DATABASE_OWNER_URL',
    env.DATABASE_OWNER_URL ||
      (env.DATABASE_URL ? databaseUrl : embeddedDatabaseUrl(embeddedPgPort, embedded?.owner)),
    env,
  );
  const temporalPort = port(env, 'OMS_TEMPORAL_PORT', 7233);
  const externalTemporal = isExternalTemporal(env);
  const temporalEndpoint = temporalSettings(env, options);
  const temporalAddress = temporalEndpoint.address ?? `127.0.0.1:${temporalPort}`;
  if (!/^[\w.-]+:\d+$/.test(temporalAddress)) {
    throw new ConfigError(
      `TEMPORAL_ADDRESS (or a profile's address) must be host:port, got "${temporalAddress}"`,
    );
  }
  const mode = oneOf(env, 'OMS_TEMPORAL', ['dev', 'postgres'] as const, 'dev');
  const temporalDatabaseUrl = optionalPostgresUrl(env, 'OMS_TEMPORAL_DATABASE_URL');
  const persistence: TemporalPersistence = externalTemporal
    ? temporalDatabaseUrl
      ? {
          kind: 'postgres',
          databaseUrl: temporalDatabaseUrl,
          visibilityUrl:
            optionalPostgresUrl(env, 'OMS_TEMPORAL_VISIBILITY_DATABASE_URL') ??
            siblingDatabaseUrl(temporalDatabaseUrl, 'temporal_visibility'),
        }
      : { kind: 'none' }
    : mode === 'postgres'
      ? {
          kind: 'postgres',
          // Temporal's own databases, beside the application's, under the owner's role (not the application's).
          databaseUrl: siblingDatabaseUrl(databaseOwnerUrl, 'temporal'),
          visibilityUrl: siblingDatabaseUrl(databaseOwnerUrl, 'temporal_visibility'),
        }
      : { kind: 'sqlite', file: path.join(dataDir, 'temporal.db') };
  const workerPort = portOrOff(env, 'OMS_WORKER_PORT', 7244);
  return {
    dataDir,
    databaseUrl,
    databaseOwnerUrl,
    embeddedPostgres: env.DATABASE_URL ? null : { port: embeddedPgPort },
    temporal: {
      address: temporalAddress,
      namespace: temporalEndpoint.namespace ?? 'default',
      connection: temporalEndpoint.connection,
      taskQueue: taskQueue(env, 'OMS_TASK_QUEUE', TASK_QUEUE),
      devServer: externalTemporal
        ? null
        : { port: temporalPort, uiPort: port(env, 'OMS_TEMPORAL_UI_PORT', 8233) },
      binary: env.OMS_TEMPORAL_BIN || undefined,
      mode,
      serverBinary: env.OMS_TEMPORAL_SERVER_BIN || undefined,
      sqlToolBinary: env.OMS_TEMPORAL_SQL_TOOL_BIN || undefined,
      persistence,
      uiUrl: httpUrl(
        env,
        'OMS_TEMPORAL_UI_URL',
        externalTemporal ? null : `http://127.0.0.1:${port(env, 'OMS_TEMPORAL_UI_PORT', 8233)}`,
      ),
    },
    api: {
      host: loopbackHost(env, 'OMS_API_HOST', '127.0.0.1'),
      port: port(env, 'OMS_API_PORT', 3000),
      trustProxy: trustProxy(env, 'OMS_TRUST_PROXY'),
      eventStreamsPerUser: positiveInt(env, 'OMS_EVENT_STREAMS_PER_USER', 8),
      metricsToken: secret(env, 'OMS_METRICS_TOKEN', 16) ?? null,
      metricsRefreshSeconds: positiveInt(env, 'OMS_METRICS_REFRESH_SECONDS', 15),
      heavyWork: {
        concurrency: positiveInt(env, 'OMS_HEAVY_WORK_CONCURRENCY', 2),
        queue: wholeNumber(env, 'OMS_HEAVY_WORK_QUEUE', 4),
      },
      consoleDir: path.resolve(env.OMS_CONSOLE_DIR || 'dist/console'),
    },
    webhooks: { allowedHosts: hostList(env, 'OMS_WEBHOOK_ALLOWED_HOSTS') },
    logLevel: oneOf(env, 'OMS_LOG_LEVEL', ['error', 'warn', 'log', 'debug'] as const, 'log'),
    logFormat: oneOf(env, 'OMS_LOG_FORMAT', ['json', 'pretty'] as const, stdoutIsTTY ? 'pretty' : 'json'),
    logFile: env.OMS_LOG_FILE ? path.resolve(env.OMS_LOG_FILE) : null,
    worker: {
      http:
        workerPort === null
          ? null
          : { host: loopbackHost(env, 'OMS_WORKER_HOST', '127.0.0.1'), port: workerPort },
      sdkMetricsPort: port(env, 'OMS_WORKER_SDK_METRICS_PORT', 7245),
      maxConcurrentActivities: positiveInt(env, 'OMS_WORKER_MAX_ACTIVITIES', 100),
      maxConcurrentWorkflowTasks: positiveInt(env, 'OMS_WORKER_MAX_WORKFLOW_TASKS', 40),
      dbPoolSize: positiveInt(env, 'OMS_WORKER_DB_POOL', 25),
      cachedWorkflows: positiveInt(env, 'OMS_WORKER_CACHED_WORKFLOWS', 100),
      processes: positiveInt(env, 'OMS_WORKERS', 1),
    },
    shutdownGraceMs: positiveInt(env, 'OMS_SHUTDOWN_GRACE_MS', 10_000),
    backup: {
      dir: path.resolve(env.OMS_BACKUP_DIR || path.join(dataDir, 'backups')),
      cron: cron(env, 'OMS_BACKUP_CRON'),
      keep: positiveInt(env, 'OMS_BACKUP_KEEP', 7),
    },
    auth: {
      tokenSecret: secret(env, 'OMS_TOKEN_SECRET', 32),
      tokenTtlSeconds: positiveInt(env, 'OMS_TOKEN_TTL_SECONDS', 8 * 3600),
      adminPassword: secret(env, 'OMS_ADMIN_PASSWORD', 12),
      apiKeyRequestsPerMinute: positiveInt(env, 'OMS_API_KEY_RATE_LIMIT', 600),
    },
    commands: {
      key: secret(env, 'OMS_COMMAND_KEY', 32),
      previousKeys: secretList(env, 'OMS_COMMAND_PREVIOUS_KEYS', 32),
    },
    archive: {
      sealKey: secret(env, 'OMS_ARCHIVE_SEAL_KEY', 32),
      previousSealKeys: secretList(env, 'OMS_ARCHIVE_SEAL_PREVIOUS_KEYS', 32),
    },
    notifications: {
      smtpUrl: smtpUrl(env, 'OMS_SMTP_URL'),
      mailFrom: env.OMS_MAIL_FROM || 'Order Management <oms@localhost>',
      messageIdDomain: messageIdDomainOf(env.OMS_MAIL_FROM || 'Order Management <oms@localhost>'),
      deliveryAttempts: positiveInt(env, 'OMS_DELIVERY_ATTEMPTS', 8),
      retryIntervalMs: positiveInt(env, 'OMS_DELIVERY_RETRY_MS', 5000),
      sendTimeoutMs: positiveInt(env, 'OMS_DELIVERY_TIMEOUT_MS', 5000),
      ratePerDestination: positiveInt(env, 'OMS_DELIVERY_RATE', 200),
      concurrencyPerDestination: positiveInt(env, 'OMS_DELIVERY_CONCURRENCY', 8),
      breaker: breaker(env),
      digest: {
        cron: env.OMS_DIGEST_CRON === 'off' ? null : (cron(env, 'OMS_DIGEST_CRON') ?? '0 8 * * *'),
        timeZone: timeZone(env, 'OMS_DIGEST_TIME_ZONE', 'Asia/Shanghai'),
      },
    },
    inbound: {
      mailboxes: inboundMailboxes(env, 'OMS_INBOUND_IMAP_URL'),
      pollMs: positiveInt(env, 'OMS_INBOUND_POLL_MS', 30_000),
      senderLimit: positiveInt(env, 'OMS_INBOUND_SENDER_LIMIT', 20),
      attachmentMaxBytes: positiveInt(env, 'OMS_INBOUND_ATTACHMENT_MAX_BYTES', 5 * 1024 * 1024),
    },
    tracking: {
      secret: secret(env, 'OMS_TRACKING_SECRET', 32),
      linkDays: positiveInt(env, 'OMS_TRACKING_LINK_DAYS', 30),
      publicUrl:
        httpUrl(env, 'OMS_PUBLIC_URL', null) ??
        `http://${loopbackHost(env, 'OMS_API_HOST', '127.0.0.1')}:${port(env, 'OMS_API_PORT', 3000)}`,
    },
    documents: pdfFont(env),
    tracing: tracing(env),
  };
}

/** The standard OTLP variables: a base endpoint gets `/v1/traces`, a traces endpoint is used as it is. */
function tracing(env: Env): AppConfig['tracing'] {
  const traces = httpUrl(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', null);
  const base = httpUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', null);
  const tracesUrl = traces ?? (base ? `${base}/v1/traces` : null);
  if (!tracesUrl) return null;
  return {
    tracesUrl,
    protocol: oneOf(
      env,
      env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
        ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
        : 'OTEL_EXPORTER_OTLP_PROTOCOL',
      ['http/protobuf', 'http/json'] as const,
      'http/protobuf',
    ),
    serviceName: env.OTEL_SERVICE_NAME || undefined,
  };
}

function temporalSettings(env: Env, options: LoadConfigOptions) {
  try {
    return loadTemporalEndpoint(env, { readFile: options.temporalConfigFile !== false });
  } catch (error) {
    if (error instanceof TemporalSettingsError) throw new ConfigError(error.message);
    throw error;
  }
}

function breaker(env: Env): AppConfig['notifications']['breaker'] {
  const backoffMs = positiveInt(env, 'OMS_BREAKER_BACKOFF_MS', 2000);
  const maxBackoffMs = positiveInt(env, 'OMS_BREAKER_MAX_BACKOFF_MS', 60_000);
  if (maxBackoffMs < backoffMs)
    throw new ConfigError(
      `OMS_BREAKER_MAX_BACKOFF_MS (${maxBackoffMs}) must not be less than OMS_BREAKER_BACKOFF_MS (${backoffMs})`,
    );
  return { threshold: positiveInt(env, 'OMS_BREAKER_THRESHOLD', 3), backoffMs, maxBackoffMs };
}

/** An IANA time zone name this runtime knows (`Asia/Shanghai`, `UTC`). */
function timeZone(env: Env, name: string, fallback: string): string {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value;
  } catch {
    throw new ConfigError(`${name} must be an IANA time zone such as Asia/Shanghai or UTC, got "${value}"`);
  }
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
