import type { INestApplication } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { createApp } from '../api/app';
import { loadConfig } from '../config/config';
import { ormConfig } from '../db/mikro-orm.config';
import { apiClient } from './support/http';
import { scratchDir } from './support/scratch';

const FIRST = 'first-admin-password-0123';
const CHANGED = 'changed-admin-password-4567';
const RESET = 'reset-admin-password-89ab';

/**
 * OMS_ADMIN_PASSWORD sets the password of user `admin` when it is created, at the first start; later an
 * admin's own change of it must survive restarts, and only the explicit reset command sets it again.
 * Each test has a database and data folder of its own, as on a fresh machine.
 */
describe('the password of user admin', () => {
  const apps: INestApplication[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  async function freshInstallation(): Promise<Record<string, string>> {
    const database = `oms_admin_${randomUUID().slice(0, 8)}`;
    const serverUrl = new URL(process.env.OMS_TEST_DATABASE_URL!);
    serverUrl.pathname = '/postgres';
    const pg = new Client({ connectionString: serverUrl.toString() });
    await pg.connect();
    await pg.query(`create database ${database}`);
    await pg.end();
    const url = new URL(process.env.OMS_TEST_DATABASE_URL!);
    url.pathname = `/${database}`;
    const orm = await MikroORM.init(ormConfig(url.toString(), { logger: () => undefined }));
    await orm.migrator.up();
    await orm.close(true);
    return {
      DATABASE_URL: url.toString(),
      TEMPORAL_ADDRESS: process.env.OMS_TEST_TEMPORAL_ADDRESS!,
      OMS_DATA_DIR: scratchDir('oms-admin-'),
      OMS_LOG_LEVEL: 'error',
    };
  }

  /** Starts the API on the installation, as a (re)start would; answers a client for it. */
  async function start(env: Record<string, string>) {
    const app = await createApp(loadConfig(env));
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    const anonymous = apiClient(`http://127.0.0.1:${port}`);
    const signIn = (password: string) =>
      anonymous.post<{ accessToken: string; user: { id: string } }>('/api/auth/login', {
        username: 'admin',
        password,
      });
    return { app, url: `http://127.0.0.1:${port}`, signIn };
  }

  /** `npm run admin:reset-password` (the compiled script; run `npm run build` first); answers its output. */
  async function resetCommand(env: Record<string, string>): Promise<string> {
    const child = spawn(
      process.execPath,
      [path.join(__dirname, '..', 'dist', 'scripts', 'admin-reset-password.js')],
      { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect([code, output]).toEqual([0, expect.any(String)]);
    return output;
  }

  async function stop(app: INestApplication): Promise<void> {
    apps.splice(apps.indexOf(app), 1);
    await app.close();
  }

  /** Starts with FIRST, and the admin changes their password to CHANGED. */
  async function adminChangedTheirPassword(env: Record<string, string>) {
    const first = await start({ ...env, OMS_ADMIN_PASSWORD: FIRST });
    const signedIn = await first.signIn(FIRST);
    expect(signedIn.status).toBe(200);
    const admin = apiClient(first.url, signedIn.body.accessToken);
    expect((await admin.patch(`/api/users/${signedIn.body.user.id}`, { password: CHANGED })).status).toBe(
      200,
    );
    await stop(first.app);
  }

  it('is set from OMS_ADMIN_PASSWORD when admin is created; a change made later survives a restart', async () => {
    const env = await freshInstallation();
    await adminChangedTheirPassword(env);
    const restarted = await start({ ...env, OMS_ADMIN_PASSWORD: FIRST });
    expect((await restarted.signIn(CHANGED)).status).toBe(200);
    expect((await restarted.signIn(FIRST)).status).toBe(401);
  });

  it('is set again only by the reset command, which ends the sessions admin had', async () => {
    const env = await freshInstallation();
    await adminChangedTheirPassword(env);
    const running = await start(env);
    const before = await running.signIn(CHANGED);
    expect(before.status).toBe(200);

    expect(await resetCommand({ ...env, OMS_ADMIN_PASSWORD: RESET })).not.toContain(RESET);
    expect((await running.signIn(RESET)).status).toBe(200);
    expect((await running.signIn(CHANGED)).status).toBe(401);
    expect((await apiClient(running.url, before.body.accessToken).get('/api/auth/me')).status).toBe(401);

    // Without OMS_ADMIN_PASSWORD it makes one up, prints it once and keeps it owner-only in the data folder.
    const printed = await resetCommand(env);
    const file = path.join(env.OMS_DATA_DIR!, 'admin-password');
    const generated = readFileSync(file, 'utf8').trim();
    expect(generated.length).toBeGreaterThanOrEqual(20);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(printed.split(generated)).toHaveLength(2);
    expect((await running.signIn(generated)).status).toBe(200);
    expect((await running.signIn(RESET)).status).toBe(401);
  });
});
