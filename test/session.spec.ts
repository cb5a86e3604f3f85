import { seedCatalogue } from './support/fixtures';
import { startStack, TEST_PASSWORD, type TestStack } from './support/stack';

/** The web console's session: an HttpOnly cookie, and an anti-forgery token on every write. */
describe('the console session', () => {
  let stack: TestStack;
  let customerId: string;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    const staff = await stack.client(['staff'], 'session-clerk');
    ({ customerId } = await seedCatalogue(staff));
  });
  afterAll(() => stack.close());

  async function signIn(): Promise<{ cookie: string; csrfToken: string; setCookie: string }> {
    const response = await fetch(`${stack.baseUrl}/api/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'session-clerk', password: TEST_PASSWORD }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { csrfToken: string; user: { username: string } };
    expect(body.user.username).toBe('session-clerk');
    expect(body).not.toHaveProperty('accessToken');
    // The session cookie; the device cookie comes beside it (test/sign-in-throttle.spec.ts).
    const setCookie = response.headers.getSetCookie().find((set) => set.startsWith('oms_session=')) ?? '';
    return { cookie: setCookie.split(';')[0]!, csrfToken: body.csrfToken, setCookie };
  }

  const call = (path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown }) =>
    fetch(`${stack.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...init.headers },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });

  it('signs in to an HttpOnly, SameSite=Strict cookie that is not Secure over plain HTTP', async () => {
    const { setCookie } = await signIn();
    expect(setCookie).toMatch(
      /^oms_session=[\w-]+\.[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/,
    );
  });

  it('reads with the cookie alone, and gives the anti-forgery token again after a reload', async () => {
    const { cookie, csrfToken } = await signIn();
    const me = await call('/api/auth/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: 'session-clerk', language: 'zh-CN', csrfToken });
    expect((await call('/api/customers', { headers: { cookie } })).status).toBe(200);
  });

  it('refuses a write made with the cookie but without the anti-forgery token, as a cross-site form would', async () => {
    const { cookie } = await signIn();
    const before = await call('/api/customers?limit=500', { headers: { cookie } });
    const count = ((await before.json()) as { items: unknown[] }).items.length;
    const forged = await fetch(`${stack.baseUrl}/api/customers`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Mallory&email=m%40example.com',
    });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({
      statusCode: 403,
      message: expect.stringContaining('X-CSRF-Token'),
    });
    const wrong = await call('/api/customers', {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': 'not-the-token' },
      body: { name: 'Mallory', email: 'm@example.com' },
    });
    expect(wrong.status).toBe(403);
    const after = await call('/api/customers?limit=500', { headers: { cookie } });
    expect(((await after.json()) as { items: unknown[] }).items.length).toBe(count);
  });

  it('accepts a write that carries the anti-forgery token', async () => {
    const { cookie, csrfToken } = await signIn();
    const created = await call('/api/customers', {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken },
      body: { name: 'Session Buyer', email: 'buyer@example.com' },
    });
    expect(created.status).toBe(201);
    const language = await call('/api/auth/me', {
      method: 'PATCH',
      headers: { cookie, 'x-csrf-token': csrfToken },
      body: { language: 'en' },
    });
    expect(await language.json()).toMatchObject({ language: 'en' });
  });

  it("does not accept one session's anti-forgery token for another session", async () => {
    const first = await signIn();
    // Tokens carry whole seconds; wait for a different one.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await signIn();
    expect(second.csrfToken).not.toBe(first.csrfToken);
    const response = await call(`/api/customers/${customerId}`, {
      method: 'PATCH',
      headers: { cookie: second.cookie, 'x-csrf-token': first.csrfToken },
      body: { phone: '1' },
    });
    expect(response.status).toBe(403);
  });

  it('keeps bearer tokens working without any anti-forgery token', async () => {
    const staff = await stack.client(['staff'], 'session-clerk');
    expect((await staff.post('/api/customers', { name: 'Script', email: 's@example.com' })).status).toBe(201);
  });

  it('signs out by clearing the cookie; a request without it is 401', async () => {
    const { cookie } = await signIn();
    const out = await call('/api/auth/logout', { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(
      /^oms_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0/,
    );
    expect((await call('/api/auth/me', {})).status).toBe(401);
  });

  it('answers 401 for a tampered cookie', async () => {
    const { cookie } = await signIn();
    const response = await call('/api/auth/me', { headers: { cookie: `${cookie.slice(0, -2)}xx` } });
    expect(response.status).toBe(401);
  });
});
