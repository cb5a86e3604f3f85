import { randomUUID } from 'node:crypto';
import { eventually } from './support/fixtures';
import { apiClient, type ApiClient } from './support/http';
import { startStack, TEST_PASSWORD, type TestStack } from './support/stack';

/** The most live event streams one user may hold open on one API instance in this file. */
const STREAMS_PER_USER = 2;

/**
 * Sessions end on the server: after a logout, "sign out everywhere" or an admin's decision, a copied cookie
 * or token is refused, and the live event streams opened with it close.
 */
describe('server-side sessions', () => {
  let stack: TestStack;
  let admin: ApiClient;

  beforeAll(async () => {
    stack = await startStack({
      worker: false,
      env: { OMS_EVENT_STREAMS_PER_USER: String(STREAMS_PER_USER) },
    });
    admin = await stack.client(['admin'], 'admin');
  });
  afterAll(() => stack.close());

  const newUser = async (roles: string[] = ['staff']) => {
    const username = `s-${randomUUID().slice(0, 8)}`;
    const created = await admin.post<{ id: string }>('/api/users', {
      username,
      password: TEST_PASSWORD,
      displayName: username,
      roles,
    });
    expect(created.status).toBe(201);
    return { id: created.body.id, username };
  };

  /** A console sign-in: the session cookie and its anti-forgery token. */
  const consoleSession = async (username: string) => {
    const response = await fetch(`${stack.baseUrl}/api/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: TEST_PASSWORD }),
    });
    expect(response.status).toBe(200);
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
    return { cookie, csrfToken };
  };

  const bearerToken = async (username: string) => {
    const response = await apiClient(stack.baseUrl).post<{ accessToken: string }>('/api/auth/login', {
      username,
      password: TEST_PASSWORD,
    });
    expect(response.status).toBe(200);
    return response.body.accessToken;
  };

  const meWith = async (headers: Record<string, string>) =>
    (await fetch(`${stack.baseUrl}/api/auth/me`, { headers })).status;

  /** Opens `/api/events`; `closed` settles when the server ends the stream. */
  const openStream = async (headers: Record<string, string>) => {
    const controller = new AbortController();
    const response = await fetch(`${stack.baseUrl}/api/events`, { headers, signal: controller.signal });
    const closed =
      response.status === 200
        ? (async () => {
            for await (const _chunk of response.body as unknown as AsyncIterable<Uint8Array>);
            return 'closed by the server';
          })().catch(() => 'aborted')
        : Promise.resolve('never opened');
    return { status: response.status, closed, abort: () => controller.abort() };
  };

  /** Whether the promise settles within the time (a stream the server does not end stays open). */
  const settlesWithin = (promise: Promise<unknown>, ms: number) =>
    Promise.race([
      promise.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
    ]);

  it('refuses a session cookie copied before logout once the user has logged out', async () => {
    const { username } = await newUser();
    const { cookie } = await consoleSession(username);
    expect(await meWith({ cookie })).toBe(200);
    const out = await fetch(`${stack.baseUrl}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(await meWith({ cookie })).toBe(401);
  });

  it('ends a bearer token on logout, and leaves the same user’s other sessions alone', async () => {
    const { username } = await newUser();
    const ended = await bearerToken(username);
    const kept = await bearerToken(username);
    const out = await fetch(`${stack.baseUrl}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ended}` },
    });
    expect(out.status).toBe(204);
    expect(await meWith({ authorization: `Bearer ${ended}` })).toBe(401);
    expect(await meWith({ authorization: `Bearer ${kept}` })).toBe(200);
  });

  it('signs a user out everywhere: every cookie and token of theirs ends, other users keep theirs', async () => {
    const { username } = await newUser();
    const other = await newUser();
    const browser = await consoleSession(username);
    const script = await bearerToken(username);
    const othersToken = await bearerToken(other.username);
    const out = await fetch(`${stack.baseUrl}/api/auth/logout-all`, {
      method: 'POST',
      headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken },
    });
    expect(out.status).toBe(204);
    expect(await meWith({ cookie: browser.cookie })).toBe(401);
    expect(await meWith({ authorization: `Bearer ${script}` })).toBe(401);
    expect(await meWith({ authorization: `Bearer ${othersToken}` })).toBe(200);
  });

  it('lets an admin end every session of a user, and nobody else', async () => {
    const { id, username } = await newUser();
    const token = await bearerToken(username);
    const { cookie } = await consoleSession(username);
    const clerk = apiClient(stack.baseUrl, await bearerToken((await newUser(['manager'])).username));
    expect((await clerk.call('DELETE', `/api/users/${id}/sessions`)).status).toBe(403);
    expect(await meWith({ authorization: `Bearer ${token}` })).toBe(200);

    const ended = await admin.call<{ ended: number }>('DELETE', `/api/users/${id}/sessions`);
    expect(ended.status).toBe(200);
    expect(ended.body.ended).toBe(2);
    expect(await meWith({ authorization: `Bearer ${token}` })).toBe(401);
    expect(await meWith({ cookie })).toBe(401);
    // The user signs in again as usual.
    expect(await meWith({ authorization: `Bearer ${await bearerToken(username)}` })).toBe(200);
    expect((await admin.call('DELETE', `/api/users/${randomUUID()}/sessions`)).status).toBe(404);
  });

  it('closes a live event stream when its session ends', async () => {
    const { username } = await newUser();
    const { cookie } = await consoleSession(username);
    const stream = await openStream({ cookie });
    expect(stream.status).toBe(200);
    expect(await settlesWithin(stream.closed, 300)).toBe(false);
    await fetch(`${stack.baseUrl}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(await settlesWithin(stream.closed, 5000)).toBe(true);
    expect(await stream.closed).toBe('closed by the server');
  });

  it('closes the live event streams of a user who is disabled', async () => {
    const { id, username } = await newUser();
    const stream = await openStream({ authorization: `Bearer ${await bearerToken(username)}` });
    expect(stream.status).toBe(200);
    expect((await admin.patch(`/api/users/${id}`, { disabled: true })).status).toBe(200);
    expect(await settlesWithin(stream.closed, 5000)).toBe(true);
    expect(await stream.closed).toBe('closed by the server');
  });

  it('caps the live event streams one user holds open at once, without touching other users', async () => {
    const { username } = await newUser();
    const headers = { authorization: `Bearer ${await bearerToken(username)}` };
    const open = [];
    for (let index = 0; index < STREAMS_PER_USER; index++) open.push(await openStream(headers));
    expect(open.map((stream) => stream.status)).toEqual(open.map(() => 200));
    const refused = await openStream(headers);
    expect(refused.status).toBe(429);
    const someoneElse = await openStream({
      authorization: `Bearer ${await bearerToken((await newUser()).username)}`,
    });
    expect(someoneElse.status).toBe(200);
    someoneElse.abort();

    // A stream the user closes frees its place.
    open[0]!.abort();
    await open[0]!.closed;
    const again = await eventually(
      () => openStream(headers),
      (stream) => stream.status === 200,
      5000,
    );
    expect(again.status).toBe(200);
    again.abort();
    for (const stream of open) stream.abort();
  });
});
