import path from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('defaults to the embedded services on loopback', () => {
    expect(loadConfig({})).toEqual({
      dataDir: path.resolve('data'),
      databaseUrl: 'postgres://postgres:postgres@127.0.0.1:5433/oms',
      embeddedPostgres: { port: 5433 },
      temporal: {
        address: '127.0.0.1:7233',
        namespace: 'default',
        devServer: { port: 7233, uiPort: 8233 },
        binary: undefined,
      },
      api: { host: '127.0.0.1', port: 3000 },
      logLevel: 'log',
      auth: { tokenSecret: undefined, tokenTtlSeconds: 28800, adminPassword: undefined },
      notifications: {
        smtpUrl: undefined,
        mailFrom: 'Order Management <oms@localhost>',
        deliveryAttempts: 8,
        retryIntervalMs: 5000,
      },
      documents: {
        pdfFont: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
        pdfFontFace: 'WenQuanYiMicroHei',
      },
    });
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

  it('moves the embedded services to other ports', () => {
    const config = loadConfig({
      OMS_PG_PORT: '6543',
      OMS_TEMPORAL_PORT: '7300',
      OMS_TEMPORAL_UI_PORT: '8300',
    });
    expect(config.databaseUrl).toBe('postgres://postgres:postgres@127.0.0.1:6543/oms');
    expect(config.temporal).toMatchObject({
      address: '127.0.0.1:7300',
      devServer: { port: 7300, uiPort: 8300 },
    });
  });

  it.each([
    [{ OMS_API_PORT: 'http' }, /OMS_API_PORT must be a TCP port/],
    [{ OMS_PG_PORT: '70000' }, /OMS_PG_PORT must be a TCP port/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
    [{ TEMPORAL_ADDRESS: 'localhost' }, /TEMPORAL_ADDRESS must be host:port/],
    [{ OMS_LOG_LEVEL: 'loud' }, /OMS_LOG_LEVEL must be one of/],
    [{ OMS_TOKEN_SECRET: 'short' }, /OMS_TOKEN_SECRET must be at least 32 characters long$/],
    [{ OMS_ADMIN_PASSWORD: 'hunter2' }, /OMS_ADMIN_PASSWORD must be at least 12 characters long$/],
    [{ OMS_TOKEN_TTL_SECONDS: '-5' }, /OMS_TOKEN_TTL_SECONDS must be a positive whole number/],
    [{ OMS_SMTP_URL: 'http://mail:25' }, /OMS_SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/],
    [{ OMS_DELIVERY_ATTEMPTS: '0' }, /OMS_DELIVERY_ATTEMPTS must be a positive whole number/],
  ])('refuses %p, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
