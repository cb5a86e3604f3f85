import { randomUUID } from 'node:crypto';
import { THROTTLE } from '../api/auth/auth.service';
import { LoginThrottleRepository } from '../db/repositories';
import { startStack, TEST_PASSWORD, type TestStack } from './support/stack';

/**
 * Sign-in throttling behind the reverse proxy: the console's sign-in counts failures by the client's address
 * as scripts' sign-ins do, and a browser that signed a person in before keeps letting them in however
 * someone else at the same (shared) address fails.
 */
describe('sign-in throttling behind a reverse proxy', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // The tests play the reverse proxy on loopback: X-Forwarded-For names each client's address.
    stack = await startStack({ worker: false, env: { OMS_TRUST_PROXY: 'loopback' } });
  });
  afterAll(() => stack.close());

  const newUser = async () => {
    const username = `t-${randomUUID().slice(0, 8)}`;
    await stack.client(['staff'], username);
    return username;
  };

  /** A console sign-in from an address, with the cookies the browser holds; answers status and cookies. */
  const consoleSignIn = async (username: string, password: string, address: string, cookie?: string) => {
    const response = await fetch(`${stack.baseUrl}/api/auth/session`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': address,
        ...(cookie ? { cookie } : {}),
      },
      body: JSON.stringify({ username, password }),
    });
    const cookies = response.headers.getSetCookie().map((set) => set.split(';')[0]!);
    return { status: response.status, cookies };
  };

  /** Fails for the name from the address until the API answers 429; returns how many were answered 401. */
  const failUntilRefused = async (username: string, address: string) => {
    for (let failures = 0; failures < 100; failures++) {
      const { status } = await consoleSignIn(username, 'wrong-password-guess', address);
      if (status === 429) return failures;
      expect(status).toBe(401);
    }
    throw new Error(`sign-ins for ${username} from ${address} were never refused`);
  };

  /**
   * As if whoever failed above had kept going a while longer: every key that was made to wait waits ten
   * minutes from now (its first waits are seconds, which a slow machine spends on the next few sign-ins).
   */
  const prolongWaits = () =>
    stack.orm.em
      .fork()
      .getConnection()
      .execute(
        `update login_throttle set next_attempt_at = now() + interval '10 minutes'
          where next_attempt_at > last_failure_at`,
      );

  it("counts a console sign-in's failures by the client's address, not the proxy's", async () => {
    const victim = await newUser();
    expect(await failUntilRefused(victim, '198.51.100.21')).toBe(THROTTLE.userAtAddress.free);
    // The same person, from their own address, is not held back by someone else's failures.
    expect((await consoleSignIn(victim, TEST_PASSWORD, '203.0.113.21')).status).toBe(200);
  });

  it('keeps letting a person in on the browser they signed in on before, whatever others at their address do', async () => {
    const victim = await newUser();
    const office = '203.0.113.30';
    const first = await consoleSignIn(victim, TEST_PASSWORD, office);
    expect(first.status).toBe(200);
    const device = first.cookies.find((cookie) => cookie.startsWith('oms_device='));
    expect(device).toBeDefined();

    // Someone else at the office fails for the victim and for many other names, until every limit there waits.
    await failUntilRefused(victim, office);
    for (let index = 0; index < THROTTLE.address.free; index++) {
      const { status } = await consoleSignIn(`nobody-${index}-${victim}`, 'wrong-password-guess', office);
      if (status === 429) break;
    }
    await prolongWaits();
    expect((await consoleSignIn(`someone-new-${victim}`, TEST_PASSWORD, office)).status).toBe(429);
    expect((await consoleSignIn(victim, TEST_PASSWORD, office)).status).toBe(429);

    // The victim's own browser still gets in, from the same address.
    expect((await consoleSignIn(victim, TEST_PASSWORD, office, device)).status).toBe(200);
  });

  it('exempts only the people who signed in on that browser, and limits guesses made with it', async () => {
    const owner = await newUser();
    const other = await newUser();
    const first = await consoleSignIn(owner, TEST_PASSWORD, '203.0.113.40');
    const device = first.cookies.find((cookie) => cookie.startsWith('oms_device='))!;
    await failUntilRefused(other, '198.51.100.40');
    await prolongWaits();
    // The owner's browser does not open another person's account that is held back.
    expect((await consoleSignIn(other, TEST_PASSWORD, '198.51.100.40', device)).status).toBe(429);
    // Guessing the owner's password on their browser is limited like any other way of guessing.
    const statuses = [];
    for (let index = 0; index <= THROTTLE.userAtAddress.free; index++)
      statuses.push((await consoleSignIn(owner, 'wrong-password-guess', '198.51.100.41', device)).status);
    expect(statuses.slice(0, THROTTLE.userAtAddress.free)).toEqual(
      Array(THROTTLE.userAtAddress.free).fill(401),
    );
    expect(statuses[THROTTLE.userAtAddress.free]).toBe(429);
  });

  it('refuses a forged or foreign device cookie as if there were none', async () => {
    const victim = await newUser();
    await failUntilRefused(victim, '203.0.113.50');
    await prolongWaits();
    for (const forged of [`oms_device=${randomUUID()}.AAAA`, 'oms_device=garbage', 'oms_device=']) {
      expect([forged, (await consoleSignIn(victim, TEST_PASSWORD, '203.0.113.50', forged)).status]).toEqual([
        forged,
        429,
      ]);
    }
  });

  it('forgets failures once they no longer count, so the table does not grow with every name tried', async () => {
    const sql = stack.orm.em.fork().getConnection();
    const key = (label: string) => `purge-test:${label}:${randomUUID()}`;
    const [stale, recent, waiting] = [key('stale'), key('recent'), key('waiting')];
    await sql.execute(
      `insert into login_throttle (key, failures, last_failure_at, next_attempt_at) values
         (?, 3, now() - interval '1 hour', now() - interval '1 hour'),
         (?, 3, now() - interval '1 minute', now() - interval '1 minute'),
         (?, 30, now() - interval '1 hour', now() + interval '10 minutes')`,
      [stale, recent, waiting],
    );
    const longestWindow = Math.max(...Object.values(THROTTLE).map((rule) => rule.windowSeconds));
    await new LoginThrottleRepository(stack.orm.em.fork()).purge(longestWindow);
    const left = await sql.execute<{ key: string }[]>(
      `select key from login_throttle where key in (?, ?, ?)`,
      [stale, recent, waiting],
    );
    expect(left.map((row) => row.key).sort()).toEqual([recent, waiting].sort());
  });
});
