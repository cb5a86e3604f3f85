import { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { createApp } from '../api/app';
import { issueToken } from '../api/auth/tokens';
import { loadConfig } from '../config/config';
import { ormConfig } from '../db/mikro-orm.config';
import { apiClient, type ApiClient } from './support/http';
import { startStack, TEST_PASSWORD, type TestStack } from './support/stack';
import { temporalTestEnv } from './support/temporal';
import { scratchDir } from './support/scratch';

describe('sign-in and tokens', () => {
  let stack: TestStack;
  let anonymous: ApiClient;
  let admin: ApiClient;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    anonymous = apiClient(stack.baseUrl);
    admin = await stack.client(['admin'], 'admin');
  });
  afterEach(async () => {
    // Failed sign-ins from this file must not throttle the next test.
    await stack.orm.em.fork().getConnection().execute('delete from login_throttle');
  });
  afterAll(() => stack.close());

  const newUser = async (roles: string[]) => {
    const username = `u-${randomUUID().slice(0, 8)}`;
    const created = await admin.post<{ id: string }>('/api/users', {
      username,
      password: TEST_PASSWORD,
      displayName: username,
      roles,
    });
    expect(created.status).toBe(201);
    return { id: created.body.id, username };
  };
  const login = (username: string, password = TEST_PASSWORD) =>
    anonymous.post<{ accessToken: string; user: { username: string; roles: string[] } }>('/api/auth/login', {
      username,
      password,
    });

  it('issues a token that identifies the user, and refuses wrong credentials alike', async () => {
    const { username } = await newUser(['staff', 'auditor']);
    const ok = await login(username);
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ username, roles: ['staff', 'auditor'] });
    const me = await apiClient(stack.baseUrl, ok.body.accessToken).get('/api/auth/me');
    expect(me.body).toMatchObject({ username });

    const wrongPassword = await login(username, 'not-the-password');
    const unknownUser = await login(`nobody-${randomUUID()}`, 'whatever-password');
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownUser.body);
  });

  it('answers 401 for a missing, malformed, tampered, foreign, expired or unsigned token', async () => {
    const { id, username } = await newUser(['staff']);
    const valid = (await login(username)).body.accessToken;
    const [header, payload, signature] = valid.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: randomUUID() })).toString('base64url')}.${signature}`;
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    const secret = stack.config.auth.tokenSecret!;
    const expired = await issueToken({ id, username }, secret, 60, new Date(Date.now() - 3600_000));
    const foreign = await issueToken(
      { id, username },
      'another-secret-0123456789-0123456789',
      60,
      new Date(),
    );
    for (const header of [
      undefined,
      'Bearer',
      `Basic ${valid}`,
      `Bearer ${tampered}`,
      `Bearer ${unsigned}`,
      `Bearer ${expired}`,
      `Bearer ${foreign}`,
    ]) {
      const response = await anonymous.call(
        'GET',
        '/api/orders',
        undefined,
        header ? { authorization: header } : {},
      );
      expect([header?.slice(0, 12), response.status]).toEqual([header?.slice(0, 12), 401]);
      expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    }
    expect((await apiClient(stack.baseUrl, valid).get('/api/orders')).status).toBe(200);
  });

  it('ends a user’s tokens when their roles change or they are disabled; new roles apply at the next sign-in', async () => {
    const user = await newUser(['staff']);
    const client = apiClient(stack.baseUrl, (await login(user.username)).body.accessToken);
    expect((await client.get('/api/audit')).status).toBe(403);
    expect((await admin.patch(`/api/users/${user.id}`, { roles: ['auditor'] })).status).toBe(200);
    expect((await client.get('/api/audit')).status).toBe(401);
    const again = apiClient(stack.baseUrl, (await login(user.username)).body.accessToken);
    expect((await again.get('/api/audit')).status).toBe(200);
    expect((await admin.patch(`/api/users/${user.id}`, { disabled: true })).body).toMatchObject({
      disabled: true,
    });
    expect((await again.get('/api/orders')).status).toBe(401);
    expect((await login(user.username)).status).toBe(401);
  });

  it('throttles repeated failures per username (429), even with the right password afterwards', async () => {
    const { username } = await newUser(['staff']);
    for (let i = 0; i < 5; i++) expect((await login(username, `wrong-${i}`)).status).toBe(401);
    const throttled = await login(username);
    expect(throttled.status).toBe(429);
    expect(JSON.stringify(throttled.body)).toMatch(/too many failed sign-ins/);
  });

  it('throttles repeated failures per address across usernames', async () => {
    // The user first: the attempt after the 20th failure must come within the first wait (2 s), and
    // creating a user (a password hash) can take longer than that on a loaded machine.
    const { username } = await newUser(['staff']);
    for (let i = 0; i < 20; i++) await login(`spray-${i}-${randomUUID().slice(0, 4)}`, 'password-spray');
    expect((await login(username)).status).toBe(429);
  });

  it('never echoes passwords or tokens in responses or logs', async () => {
    const secretPassword = `Secret-${randomUUID()}`;
    const token = (await login('admin')).body.accessToken;
    const written: string[] = [];
    const capture = (stream: NodeJS.WriteStream) => {
      const original = stream.write.bind(stream);
      stream.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
        written.push(String(chunk));
        return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
      };
      return () => (stream.write = original);
    };
    const restore = [capture(process.stdout), capture(process.stderr)];
    try {
      const bodies = [
        await login('admin', secretPassword),
        await admin.post('/api/users', {
          username: 'short-pw',
          password: 'short',
          displayName: 'x',
          roles: ['staff'],
        }),
        await admin.post('/api/users', {
          username: 'BAD NAME',
          password: secretPassword,
          displayName: 'x',
          roles: ['staff'],
        }),
        await anonymous.call('GET', '/api/orders', undefined, { authorization: `Bearer ${token}x` }),
        await anonymous.post('/api/auth/login', `{"username":"admin","password":"${secretPassword}"`),
      ].map((response) => JSON.stringify(response.body));
      for (const text of [...bodies, ...written]) {
        expect(text).not.toContain(secretPassword);
        expect(text).not.toContain(token);
        expect(text).not.toContain('short"');
      }
    } finally {
      restore.forEach((undo) => undo());
    }
  });

  it('creates the first admin with a random password when none is configured, printed once and kept owner-only', async () => {
    // A database and data folder of its own, as on a fresh machine.
    const database = `oms_bootstrap_${randomUUID().slice(0, 8).replace(/-/g, '')}`;
    const adminUrl = new URL(process.env.OMS_TEST_DATABASE_URL!);
    adminUrl.pathname = '/postgres';
    const pg = new Client({ connectionString: adminUrl.toString() });
    await pg.connect();
    await pg.query(`create database ${database}`);
    await pg.end();
    const url = new URL(process.env.OMS_TEST_DATABASE_URL!);
    url.pathname = `/${database}`;
    const orm = await MikroORM.init(ormConfig(url.toString(), { logger: () => undefined }));
    await orm.migrator.up();
    await orm.close(true);

    const dataDir = scratchDir('oms-bootstrap-');
    const config = loadConfig({
      DATABASE_URL: url.toString(),
      ...temporalTestEnv(),
      OMS_DATA_DIR: dataDir,
      OMS_LOG_LEVEL: 'error',
    });
    const printed: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk: string) => (printed.push(String(chunk)), true);
    let app;
    try {
      app = await createApp(config);
      await app.init();
      await app.close();
      app = await createApp(config);
      await app.init();
    } finally {
      process.stdout.write = original;
    }
    try {
      const file = path.join(dataDir, 'admin-password');
      const password = readFileSync(file, 'utf8').trim();
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(printed.filter((line) => line.includes(password))).toHaveLength(1);
      await app.listen(0, '127.0.0.1');
      const port = (app.getHttpServer() as { address(): { port: number } }).address().port;
      const response = await apiClient(`http://127.0.0.1:${port}`).post('/api/auth/login', {
        username: 'admin',
        password,
      });
      expect(response.status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
