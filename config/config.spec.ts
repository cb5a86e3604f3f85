import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from './config';
import { scratchDir } from '../test/support/scratch';

describe('configuration', () => {
  it('defaults to the embedded services on loopback', () => {
    expect(loadConfig({}, false)).toEqual({
      dataDir: path.resolve('data'),
      // With the passwords the first start generates into the data folder, once it has.
      databaseUrl: expect.stringMatching(/^postgres:\/\/oms_app(:[\w-]+)?@127\.0\.0\.1:5433\/oms$/),
      databaseOwnerUrl: expect.stringMatching(/^postgres:\/\/postgres(:[\w-]+)?@127\.0\.0\.1:5433\/oms$/),
      embeddedPostgres: { port: 5433 },
      temporal: {
        address: '127.0.0.1:7233',
        namespace: 'default',
        connection: {
          tls: false,
          apiKey: undefined,
          metadata: {},
          source: 'the dev server that npm start runs',
          files: { serverCa: undefined, clientCert: undefined, clientKey: undefined },
        },
        taskQueue: 'orders',
        devServer: { port: 7233, uiPort: 8233 },
        binary: undefined,
        mode: 'dev',
        serverBinary: undefined,
        sqlToolBinary: undefined,
        persistence: { kind: 'sqlite', file: path.resolve('data', 'temporal.db') },
        uiUrl: 'http://127.0.0.1:8233',
      },
      api: {
        host: '127.0.0.1',
        port: 3000,
        trustProxy: false,
        consoleDir: path.resolve('dist/console'),
        eventStreamsPerUser: 8,
        metricsToken: null,
        metricsRefreshSeconds: 15,
        heavyWork: { concurrency: 2, queue: 4 },
      },
      webhooks: { allowedHosts: [] },
      logLevel: 'log',
      logFormat: 'json',
      logFile: null,
      worker: {
        http: { host: '127.0.0.1', port: 7244 },
        sdkMetricsPort: 7245,
        maxConcurrentActivities: 100,
        maxConcurrentWorkflowTasks: 40,
        dbPoolSize: 25,
        cachedWorkflows: 100,
        processes: 1,
      },
      shutdownGraceMs: 10000,
      backup: { dir: path.resolve('data', 'backups'), cron: null, keep: 7 },
      auth: {
        tokenSecret: undefined,
        tokenTtlSeconds: 28800,
        adminPassword: undefined,
        apiKeyRequestsPerMinute: 600,
      },
      commands: { key: undefined, previousKeys: [] },
      archive: { sealKey: undefined, previousSealKeys: [] },
      notifications: {
        smtpUrl: undefined,
        mailFrom: 'Order Management <oms@localhost>',
        messageIdDomain: 'oms.local',
        deliveryAttempts: 8,
        retryIntervalMs: 5000,
        sendTimeoutMs: 5000,
        ratePerDestination: 200,
        concurrencyPerDestination: 8,
        breaker: { threshold: 3, backoffMs: 2000, maxBackoffMs: 60000 },
        digest: { cron: '0 8 * * *', timeZone: 'Asia/Shanghai' },
      },
      inbound: { mailboxes: [], pollMs: 30000, senderLimit: 20, attachmentMaxBytes: 5 * 1024 * 1024 },
      tracking: { secret: undefined, linkDays: 30, publicUrl: 'http://127.0.0.1:3000' },
      tracing: null,
      documents: {
        pdfFont: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
        pdfFontFace: 'WenQuanYiMicroHei',
      },
    });
  });

  it('reads the inbound mailboxes, imap:// and imaps://, and refuses other URLs', () => {
    const config = loadConfig({
      OMS_INBOUND_IMAP_URL:
        'imaps://orders%40shop.example:p%40ss@mail.shop.example/INBOX, imap://test:secret@127.0.0.1:31430/Support',
      OMS_INBOUND_POLL_MS: '5000',
    });
    expect(config.inbound).toEqual({
      pollMs: 5000,
      senderLimit: 20,
      attachmentMaxBytes: 5 * 1024 * 1024,
      mailboxes: [
        {
          key: 'orders@shop.example@mail.shop.example:993/INBOX',
          host: 'mail.shop.example',
          port: 993,
          secure: true,
          user: 'orders@shop.example',
          password: 'p@ss',
          folder: 'INBOX',
        },
        {
          key: 'test@127.0.0.1:31430/Support',
          host: '127.0.0.1',
          port: 31430,
          secure: false,
          user: 'test',
          password: 'secret',
          folder: 'Support',
        },
      ],
    });
    expect(loadConfig({}).inbound.mailboxes).toEqual([]);
    expect(() => loadConfig({ OMS_INBOUND_IMAP_URL: 'pop3://a:b@mail.example' })).toThrow(
      /OMS_INBOUND_IMAP_URL/,
    );
    expect(() => loadConfig({ OMS_INBOUND_IMAP_URL: 'imap://mail.example' })).toThrow(/needs a user/);
    expect(() =>
      loadConfig({ OMS_INBOUND_IMAP_URL: 'imap://a:b@mail.example,imap://a:c@mail.example/INBOX' }),
    ).toThrow(/twice/);
  });

  it("reads the tracking links' settings and refuses a public URL that is not http(s)", () => {
    const config = loadConfig({
      OMS_PUBLIC_URL: 'https://shop.example/orders/',
      OMS_TRACKING_LINK_DAYS: '7',
      OMS_TRACKING_SECRET: 'x'.repeat(32),
      OMS_TEMPORAL_UI_URL: 'https://temporal.example',
    });
    expect(config.tracking).toEqual({
      secret: 'x'.repeat(32),
      linkDays: 7,
      publicUrl: 'https://shop.example/orders',
    });
    expect(config.temporal.uiUrl).toBe('https://temporal.example');
    expect(loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233' }).temporal.uiUrl).toBeNull();
    expect(() => loadConfig({ OMS_PUBLIC_URL: 'ftp://shop.example' })).toThrow(/OMS_PUBLIC_URL/);
    expect(() => loadConfig({ OMS_TRACKING_SECRET: 'short' })).toThrow(/OMS_TRACKING_SECRET/);
    expect(() => loadConfig({ OMS_TRACKING_LINK_DAYS: '0' })).toThrow(/OMS_TRACKING_LINK_DAYS/);
  });

  it('refuses an OMS_PDF_FONT that names no file, naming the variable', () => {
    expect(() => loadConfig({ OMS_PDF_FONT: '/nowhere/font.ttf' })).toThrow(
      new ConfigError('OMS_PDF_FONT names no file: "/nowhere/font.ttf"'),
    );
  });

  it('uses DATABASE_URL and TEMPORAL_ADDRESS for external services, and then starts no embedded ones', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://u:p@db:5432/x',
      TEMPORAL_ADDRESS: 'temporal:7233',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgresql://u:p@db:5432/x',
      embeddedPostgres: null,
      temporal: { address: 'temporal:7233', devServer: null },
    });
  });

  it('trusts the proxies it is told to for the client address', () => {
    expect(loadConfig({ OMS_TRUST_PROXY: '1' }).api.trustProxy).toBe(1);
    expect(loadConfig({ OMS_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).api.trustProxy).toBe(
      'loopback,10.0.0.0/8',
    );
  });

  it('moves the embedded services to other ports', () => {
    const config = loadConfig({
      OMS_PG_PORT: '6543',
      OMS_TEMPORAL_PORT: '7300',
      OMS_TEMPORAL_UI_PORT: '8300',
      OMS_DATA_DIR: '/nonexistent/oms-data',
    });
    expect(config.databaseUrl).toBe('postgres://oms_app@127.0.0.1:6543/oms');
    expect(config.databaseOwnerUrl).toBe('postgres://postgres@127.0.0.1:6543/oms');
    expect(config.temporal).toMatchObject({
      address: '127.0.0.1:7300',
      devServer: { port: 7300, uiPort: 8300 },
    });
  });

  it('logs for a person at a terminal and for machines otherwise, unless told', () => {
    expect(loadConfig({}, true).logFormat).toBe('pretty');
    expect(loadConfig({ OMS_LOG_FORMAT: 'json' }, true).logFormat).toBe('json');
    expect(loadConfig({ OMS_LOG_FORMAT: 'pretty' }, false).logFormat).toBe('pretty');
  });

  it("knows where Temporal keeps its state: the dev server's SQLite, its PostgreSQL databases, or not at all", () => {
    const dataDir = scratchDir('oms-config-');
    writeFileSync(path.join(dataDir, 'postgres-credentials.json'), '{"owner":"0wner","app":"app"}', {
      mode: 0o600,
    });
    expect(
      loadConfig({ OMS_TEMPORAL: 'postgres', OMS_PG_PORT: '6000', OMS_DATA_DIR: dataDir }).temporal
        .persistence,
    ).toEqual({
      kind: 'postgres',
      databaseUrl: 'postgres://postgres:0wner@127.0.0.1:6000/temporal',
      visibilityUrl: 'postgres://postgres:0wner@127.0.0.1:6000/temporal_visibility',
    });
    expect(loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233' }).temporal.persistence).toEqual({ kind: 'none' });
    expect(
      loadConfig({
        TEMPORAL_ADDRESS: 'temporal:7233',
        OMS_TEMPORAL_DATABASE_URL: 'postgres://t:p@db:5432/temporal',
      }).temporal.persistence,
    ).toEqual({
      kind: 'postgres',
      databaseUrl: 'postgres://t:p@db:5432/temporal',
      visibilityUrl: 'postgres://t:p@db:5432/temporal_visibility',
    });
  });

  it('turns the worker endpoint off, and schedules backups when asked', () => {
    const config = loadConfig({ OMS_WORKER_PORT: 'off', OMS_BACKUP_CRON: '0 3 * * *', OMS_BACKUP_KEEP: '3' });
    expect(config.worker.http).toBeNull();
    expect(config.backup).toMatchObject({ cron: '0 3 * * *', keep: 3 });
  });

  it('sends the daily digest when and where it is told, or not at all', () => {
    const config = loadConfig({ OMS_DIGEST_CRON: '30 17 * * 1-5', OMS_DIGEST_TIME_ZONE: 'Europe/Berlin' });
    expect(config.notifications.digest).toEqual({ cron: '30 17 * * 1-5', timeZone: 'Europe/Berlin' });
    expect(loadConfig({ OMS_DIGEST_CRON: 'off' }).notifications.digest.cron).toBeNull();
  });

  it('runs on the task queue it is given', () => {
    expect(loadConfig({ OMS_TASK_QUEUE: 'orders-eu.2' }).temporal.taskQueue).toBe('orders-eu.2');
  });

  it.each([
    [{ OMS_API_PORT: 'http' }, /OMS_API_PORT must be a TCP port/],
    [{ OMS_PG_PORT: '70000' }, /OMS_PG_PORT must be a TCP port/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
    [{ TEMPORAL_ADDRESS: 'localhost' }, /TEMPORAL_ADDRESS \(or a profile's address\) must be host:port/],
    [{ OMS_LOG_LEVEL: 'loud' }, /OMS_LOG_LEVEL must be one of/],
    [{ OMS_TOKEN_SECRET: 'short' }, /OMS_TOKEN_SECRET must be at least 32 characters long$/],
    [{ OMS_ADMIN_PASSWORD: 'hunter2' }, /OMS_ADMIN_PASSWORD must be at least 12 characters long$/],
    [{ OMS_TOKEN_TTL_SECONDS: '-5' }, /OMS_TOKEN_TTL_SECONDS must be a positive whole number/],
    [{ OMS_SMTP_URL: 'http://mail:25' }, /OMS_SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/],
    [{ OMS_DELIVERY_ATTEMPTS: '0' }, /OMS_DELIVERY_ATTEMPTS must be a positive whole number/],
    [{ DATABASE_OWNER_URL: 'file:///x' }, /DATABASE_OWNER_URL must be a postgres/],
    [{ OMS_TRUST_PROXY: 'everyone' }, /OMS_TRUST_PROXY must be a number of hops or/],
    [{ OMS_WEBHOOK_ALLOWED_HOSTS: 'http://x/' }, /OMS_WEBHOOK_ALLOWED_HOSTS must be a comma-separated list/],
    [{ OMS_LOG_FORMAT: 'xml' }, /OMS_LOG_FORMAT must be one of json, pretty, got "xml"/],
    [{ OMS_TEMPORAL: 'cassandra' }, /OMS_TEMPORAL must be one of dev, postgres/],
    [{ OMS_WORKER_PORT: '0' }, /OMS_WORKER_PORT must be a TCP port/],
    [{ OMS_WORKER_SDK_METRICS_PORT: 'x' }, /OMS_WORKER_SDK_METRICS_PORT must be a TCP port/],
    [{ OMS_WORKER_MAX_ACTIVITIES: '1.5' }, /OMS_WORKER_MAX_ACTIVITIES must be a positive whole number/],
    [{ OMS_WORKER_MAX_WORKFLOW_TASKS: '0' }, /OMS_WORKER_MAX_WORKFLOW_TASKS must be a positive whole number/],
    [{ OMS_WORKERS: 'two' }, /OMS_WORKERS must be a positive whole number/],
    [{ OMS_SHUTDOWN_GRACE_MS: '-1' }, /OMS_SHUTDOWN_GRACE_MS must be a positive whole number/],
    [{ OMS_BACKUP_CRON: 'daily' }, /OMS_BACKUP_CRON must be a cron expression of five fields/],
    [{ OMS_BACKUP_KEEP: '0' }, /OMS_BACKUP_KEEP must be a positive whole number/],
    [{ OMS_TEMPORAL_DATABASE_URL: 'mysql://x/y' }, /OMS_TEMPORAL_DATABASE_URL must be a postgres/],
    [{ OMS_WORKER_HOST: 'a b' }, /OMS_WORKER_HOST must be a host name or address/],
    [{ OMS_TASK_QUEUE: 'orders eu' }, /OMS_TASK_QUEUE must be letters, digits/],
    [{ OMS_DELIVERY_TIMEOUT_MS: '0' }, /OMS_DELIVERY_TIMEOUT_MS must be a positive whole number/],
    [{ OMS_DELIVERY_RATE: 'fast' }, /OMS_DELIVERY_RATE must be a positive whole number/],
    [{ OMS_DELIVERY_CONCURRENCY: '-2' }, /OMS_DELIVERY_CONCURRENCY must be a positive whole number/],
    [{ OMS_BREAKER_THRESHOLD: '0' }, /OMS_BREAKER_THRESHOLD must be a positive whole number/],
    [
      { OMS_BREAKER_BACKOFF_MS: '5000', OMS_BREAKER_MAX_BACKOFF_MS: '1000' },
      /OMS_BREAKER_MAX_BACKOFF_MS \(1000\) must not be less than OMS_BREAKER_BACKOFF_MS \(5000\)/,
    ],
    [{ OMS_DIGEST_CRON: 'daily' }, /OMS_DIGEST_CRON must be a cron expression of five fields/],
    [{ OMS_DIGEST_TIME_ZONE: 'Mars/Olympus' }, /OMS_DIGEST_TIME_ZONE must be an IANA time zone/],
  ])('refuses %p, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
