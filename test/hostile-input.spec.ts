import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { THROTTLE } from '../api/auth/auth.service';
import type { PaymentGateway } from '../activities/payment.gateway';
import { eventually, seedCatalogue } from './support/fixtures';
import { apiClient, type ApiClient } from './support/http';
import { placeOrder, stockOf } from './support/orders';
import { TEST_PASSWORD, ownTaskQueue, startStack, type TestStack } from './support/stack';
import { grantApplicationRole } from '../db/migrate';

/** The findings of issue 11, each as the behaviour that must hold. */
describe('hostile input and abuse', () => {
  let stack: TestStack;
  let admin: ApiClient;
  let clerk: ApiClient;
  let customerId: string;
  let sku: string;

  beforeAll(async () => {
    // No host is allowed past the webhook destination policy here.
    // No host is allowed past the webhook destination policy here; the tests play a reverse proxy on
    // loopback, so each sign-in test comes from an address of its own.
    stack = await startStack({ env: { OMS_WEBHOOK_ALLOWED_HOSTS: '', OMS_TRUST_PROXY: 'loopback' } });
    admin = await stack.client(['admin'], 'admin');
    clerk = await stack.client(['staff'], 'hostile-clerk');
    const seeded = await seedCatalogue(admin, [{ unitPrice: 100, stockOnHand: 50 }]);
    customerId = seeded.customerId;
    sku = seeded.skus[0]!;
  });
  afterAll(() => stack.close());

  /**
   * Row counts and a checksum of every table the API writes, to show that a refusal wrote nothing. Orders
   * placed by earlier tests go on moving in the background (their workflows mirror each step into the row),
   * so for orders only what a request writes is compared: which orders exist and what they contain.
   */
  async function tables(): Promise<Record<string, string>> {
    const connection = stack.orm.em.fork().getConnection();
    const result: Record<string, string> = {};
    const rows: Record<string, string> = {
      orders: '(t.id, t.number, t.customer_id, t.currency, t.total, t.notes, t.created_at)',
      order_lines: 't',
      customers: 't',
      products: 't',
      users: 't',
      webhooks: 't',
      audit_log: 't',
    };
    for (const [table, row] of Object.entries(rows)) {
      const [sum] = await connection.execute<{ n: number; sum: string | null }[]>(
        `select count(*)::int as n, md5(string_agg(${row}::text, '|' order by ${row}::text)) as sum from ${table} t`,
      );
      result[table] = `${sum!.n}:${sum!.sum}`;
    }
    return result;
  }

  /** The tables once the steps still running for earlier tests' orders have been written (two reads agree). */
  async function settledTables(): Promise<Record<string, string>> {
    let last = await tables();
    for (let attempt = 0; attempt < 40; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const now = await tables();
      if (JSON.stringify(now) === JSON.stringify(last)) return now;
      last = now;
    }
    return last;
  }

  async function expectRefused(
    send: () => Promise<{ status: number; body: Record<string, unknown> }>,
    status: number,
    message: RegExp,
  ) {
    const before = await settledTables();
    const response = await send();
    expect({ status: response.status, message: response.body.message }).toEqual({
      status,
      message: expect.stringMatching(message),
    });
    expect(await tables()).toEqual(before);
  }

  describe('text that PostgreSQL cannot store', () => {
    const bad: [string, string][] = [
      ['a NUL character', 'before\u0000after'],
      ['an unpaired high surrogate', 'before\ud800after'],
      ['an unpaired low surrogate', '\udc00'],
    ];

    it.each(bad)(
      'refuses an order note with %s (400 naming notes), and the order is not frozen',
      async (_name, text) => {
        await expectRefused(
          () => clerk.post('/api/orders', { customerId, lines: [{ sku, quantity: 1 }], notes: text }),
          400,
          /^notes must/,
        );
      },
    );

    it.each(bad)('refuses %s in a customer name, a login name and a search', async (_name, text) => {
      await expectRefused(
        () => clerk.post('/api/customers', { name: text, email: 'x@example.com' }),
        400,
        /^name must/,
      );
      await expectRefused(
        () =>
          apiClient(stack.baseUrl).post('/api/auth/login', { username: text, password: 'whatever-password' }),
        400,
        /^username must/,
      );
      // A query string is UTF-8 on the wire: the NUL survives into it, surrogates arrive as U+FFFD.
      const query = encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'));
      const search = await clerk.get(`/api/orders?q=${query}`);
      if (text.includes('\u0000')) expect(search.status).toBe(400);
      else expect(search.status).toBe(200);
    });

    it('answers 404 for a path that is not valid text (a NUL broke the SQL of the archive lookup)', async () => {
      for (const path of ['/api/orders/a%00b/archive', '/api/orders/a%00b', '/api/customers/%00'])
        expect([path, (await admin.get(path)).status]).toEqual([path, 404]);
    });

    it('refuses an unpaired surrogate before any validator sees it (one of them throws on it)', async () => {
      await expectRefused(
        () => clerk.post('/api/customers', { name: 'Surrogate Co', email: 'x\udfff@example.com' }),
        400,
        /^email must be valid Unicode/,
      );
    });

    it('refuses control characters in one-line fields but keeps line breaks in notes', async () => {
      await expectRefused(
        () => clerk.post('/api/customers', { name: 'Acme\nTrading', email: 'a@example.com' }),
        400,
        /^name must be a single line/,
      );
      await expectRefused(
        () => clerk.post('/api/customers', { name: 'Acme\u0007', email: 'a@example.com' }),
        400,
        /^name must not contain control characters \(U\+0007\)/,
      );
      const notes = '第一行\n第二行 😀 עברית';
      const order = await clerk.post('/api/orders', { customerId, lines: [{ sku, quantity: 1 }], notes });
      expect([order.status, order.body.notes]).toEqual([201, notes]);
    });
  });

  describe('values past what the columns hold', () => {
    it('refuses null for a required field of a PATCH, and clears a nullable one', async () => {
      const { body: customer } = await clerk.post('/api/customers', {
        name: 'Null Co',
        email: 'n@example.com',
        phone: '1',
      });
      await expectRefused(
        () => clerk.patch(`/api/customers/${customer.id as string}`, { name: null }),
        400,
        /^name must/,
      );
      const products = await clerk.get<{ items: { id: string }[] }>('/api/products?limit=1');
      const productId = products.body.items[0]!.id;
      await expectRefused(
        () => clerk.patch(`/api/products/${productId}`, { unitPrice: null }),
        400,
        /^unitPrice must/,
      );
      const cleared = await clerk.patch(`/api/customers/${customer.id as string}`, { phone: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body.phone).toBeNull();
    });

    it('stores a price above 2^31 minor units, and refuses one beyond the limit', async () => {
      const big = 2 ** 31 + 5;
      const created = await clerk.post('/api/products', {
        sku: `BIG-${randomUUID().slice(0, 8)}`,
        name: 'Expensive',
        unitPrice: big,
        currency: 'CNY',
        stockOnHand: 1,
      });
      expect([created.status, created.body.unitPrice]).toEqual([201, big]);
      await expectRefused(
        () =>
          clerk.post('/api/products', {
            sku: 'TOO-MUCH',
            name: 'x',
            unitPrice: 1e15,
            currency: 'CNY',
            stockOnHand: 1,
          }),
        400,
        /^unitPrice must not be greater than/,
      );
    });

    it('refuses a restock that would take stock on hand past its limit', async () => {
      const products = await clerk.get<{ items: { id: string; sku: string }[] }>('/api/products?limit=500');
      const product = products.body.items.find((p) => p.sku === sku)!;
      const first = await clerk.post(`/api/products/${product.id}/stock`, {
        delta: 1_000_000_000,
        reason: 'big',
      });
      expect(first.status).toBe(200);
      await expectRefused(
        () => clerk.post(`/api/products/${product.id}/stock`, { delta: 1_000_000_000, reason: 'again' }),
        400,
        /^delta would take stock on hand/,
      );
      await clerk.post(`/api/products/${product.id}/stock`, { delta: -1_000_000_000, reason: 'back' });
    });

    it('refuses a cursor that decodes but is not one of ours', async () => {
      for (const key of [
        ['not a time', randomUUID()],
        ['2026-01-01T00:00:00.000Z', 'not-a-uuid'],
        [1, 2],
        'x',
      ]) {
        const cursor = Buffer.from(JSON.stringify(key)).toString('base64url');
        for (const list of ['orders', 'customers', 'products']) {
          const response = await clerk.get(`/api/${list}?cursor=${cursor}`);
          expect([list, response.status, response.body.message]).toEqual([
            list,
            400,
            'cursor is not one this server issued',
          ]);
        }
      }
    });

    it('refuses deeply nested JSON before parsing it', async () => {
      const deep = `{"customerId":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
      await expectRefused(
        () => clerk.post('/api/orders', deep),
        400,
        /nests arrays and objects deeper than 32 levels/,
      );
    });
  });

  describe('signing in', () => {
    it('checks at most a handful of 40 wrong passwords sent in parallel for one user', async () => {
      await stack.client(['staff'], 'parallel-target');
      const anonymous = apiClient(stack.baseUrl);
      const started = Date.now();
      const answers = await Promise.all(
        Array.from({ length: 40 }, () =>
          anonymous.post(
            '/api/auth/login',
            { username: 'parallel-target', password: 'wrong-password-guess' },
            { 'x-forwarded-for': '203.0.113.40' },
          ),
        ),
      );
      const seconds = (Date.now() - started) / 1000;
      // What one attacker sending one guess at a time would get checked in the same time: the free attempts,
      // then one more after each doubled delay that has fully passed.
      const { free, baseDelaySeconds } = THROTTLE.userAtAddress;
      let sequential = free;
      for (
        let waited = baseDelaySeconds;
        waited <= seconds;
        waited += baseDelaySeconds * 2 ** (sequential - free)
      )
        sequential++;
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(sequential);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(40 - sequential);
    });

    it('lets a person in from their usual address while someone there fails for many other names', async () => {
      await stack.client(['staff'], 'usual-user');
      const office = { 'x-forwarded-for': '198.51.100.7' };
      const anonymous = apiClient(stack.baseUrl);
      const signIn = (username: string, password: string) =>
        anonymous.post('/api/auth/login', { username, password }, office);
      expect((await signIn('usual-user', TEST_PASSWORD)).status).toBe(200);
      for (let index = 0; index < THROTTLE.address.free; index++)
        await signIn(`nobody-${index}`, 'wrong-password-guess');
      expect((await signIn('nobody-new', 'wrong-password-guess')).status).toBe(429);
      expect((await signIn('usual-user', TEST_PASSWORD)).status).toBe(200);
    }, 180_000);

    it.each([
      ['a new password', { password: 'another-password-0123' }],
      ['new roles', { roles: ['auditor'] }],
      ['disabling', { disabled: true }],
    ])('ends the existing tokens of a user on %s', async (_name, change) => {
      const username = `revoked-${randomUUID().slice(0, 8)}`;
      const user = await stack.client(['staff'], username);
      const me = await user.get<{ id: string }>('/api/auth/me');
      expect(me.status).toBe(200);
      const changed = await admin.patch(`/api/users/${me.body.id}`, change);
      expect(changed.status).toBe(200);
      const after = await user.get('/api/auth/me');
      expect(after.status).toBe(401);
    });
  });

  describe('webhook destinations', () => {
    it.each([
      'http://127.0.0.1:7233/',
      'http://169.254.169.254/latest/meta-data/',
      'http://localhost:5433/',
      'http://10.1.2.3/hook',
      'http://192.168.1.10/hook',
      'http://172.16.0.1/hook',
      'http://0.0.0.0:3000/',
      'http://[::1]:3000/',
      'http://[fc00::1]/hook',
      'http://[fe80::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
    ])('refuses %s (400 naming url)', async (url) => {
      await expectRefused(() => admin.post('/api/webhooks', { url }), 400, /^url /);
    });
  });

  it('sends security headers and no X-Powered-By', async () => {
    const response = await fetch(`${stack.baseUrl}/api/orders`, { headers: clerk.headers });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('connects the application as a role that cannot erase or alter the audit log', async () => {
    const app = new Client({ connectionString: stack.config.databaseUrl });
    await app.connect();
    try {
      const connection = { execute: (statement: string) => app.query(statement) };
      const { rows } = await app.query<{ current_user: string }>('select current_user');
      expect(rows[0]!.current_user).toBe('oms_app');
      for (const statement of [
        'truncate audit_log',
        'delete from audit_log',
        "update audit_log set action = 'forged'",
        'drop trigger audit_log_no_change on audit_log',
        'alter table audit_log disable trigger all',
        'create table intruder (id int)',
      ]) {
        await expect(connection.execute(statement)).rejects.toThrow(/permission denied|must be owner/);
      }
    } finally {
      await app.end();
    }
  });

  it('never shows the running services the application role without its rights while a start grants them', async () => {
    // Every start grants the role its rights again (a new table, a rollout): the services already running
    // as it read and write all the while, and must never meet "permission denied" in between.
    const app = new Client({ connectionString: stack.config.databaseUrl });
    await app.connect();
    const refused: string[] = [];
    let granting = true;
    const reading = (async () => {
      let reads = 0;
      while (granting || reads === 0) {
        reads++;
        await app
          .query('select count(*) from deliveries')
          .catch((error: Error) => refused.push(error.message));
      }
      return reads;
    })();
    try {
      for (let start = 0; start < 15; start++)
        await grantApplicationRole(stack.orm, stack.config.databaseUrl);
    } finally {
      granting = false;
      expect(await reading).toBeGreaterThan(15);
      await app.end();
    }
    expect(refused).toEqual([]);
  });

  describe('an activity that fails on a defect', () => {
    // Only the worker with the broken gateway may take this order's payment: a task queue of its own.
    let broken: TestStack;
    let clerk: ApiClient;
    beforeAll(async () => {
      broken = await startStack({ worker: false, env: ownTaskQueue('broken-gateway') });
      clerk = await broken.client(['staff'], 'hostile-clerk');
    });
    afterAll(() => broken.close());

    it('shows the problem on the order and tells managers instead of retrying forever, and cancel still returns the stock', async () => {
      const gateway: PaymentGateway = {
        charge: () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'amount')")),
        refund: () => Promise.resolve(),
      };
      await broken.startWorker('broken-gateway', { gateway: () => gateway });
      const manager = await broken.client(['manager'], 'problem-manager');
      const before = await stockOf(clerk, sku);
      const order = await placeOrder(clerk, customerId, [{ sku, quantity: 2 }]);
      if (order.awaiting === 'approval') await clerk.post(`/api/orders/${order.id}/approve`, {});
      const stuck = await eventually(
        () =>
          clerk.get<{ problem: { step: string; kind: string } | null; awaiting: string }>(
            `/api/orders/${order.id}`,
          ),
        (response) => response.body.problem !== null && response.body.problem !== undefined,
      );
      expect(stuck.body).toMatchObject({
        awaiting: 'payment',
        problem: { step: 'chargePayment', kind: 'Defect' },
      });
      const inbox = await eventually(
        () => manager.get<{ items: { kind: string; orderId: string }[] }>('/api/notifications'),
        (response) =>
          response.body.items.some((item) => item.kind === 'order.problem' && item.orderId === order.id),
      );
      expect(inbox.body.items.some((item) => item.kind === 'order.problem')).toBe(true);
      const history = await manager.get<{ items: { kind: string }[] }>(`/api/orders/${order.id}/history`);
      expect(history.body.items.map((step) => step.kind)).toContain('order.problem');

      const cancelled = await clerk.post(`/api/orders/${order.id}/cancel`, { reason: 'gateway broken' });
      expect([cancelled.status, cancelled.body.status]).toEqual([200, 'cancelled']);
      const after = await eventually(
        () => stockOf(clerk, sku),
        (level) => level.reserved === before.reserved,
      );
      const level = ({ stockOnHand, reserved, available }: typeof before) => ({
        stockOnHand,
        reserved,
        available,
      });
      expect(level(after)).toEqual(level(before));
    });
  });

  describe('a notification that fails on a defect', () => {
    // The customer's confirmation cannot be written: building its tracking link throws, as a defect would.
    // A change of status is recorded and told in one step (recordOrderAndNotify): the order is recorded all
    // the same, and the problem is the notification's.
    let broken: TestStack;
    let clerk: ApiClient;
    let auditor: ApiClient;
    beforeAll(async () => {
      broken = await startStack({ worker: false, env: ownTaskQueue('broken-notice') });
      clerk = await broken.client(['staff'], 'notice-clerk');
      auditor = await broken.client(['auditor'], 'notice-auditor');
      await broken.startWorker('broken-notice', {
        email: true,
        trackingLink: () => {
          throw new TypeError('the tracking key was read wrongly');
        },
      });
    });
    afterAll(() => broken.close());

    it('records the order, shows the problem of its notifyOrder step, and clears it once a notification passes', async () => {
      const { customerId, skus } = await seedCatalogue(clerk, [{ unitPrice: 90_000, stockOnHand: 5 }]);
      const order = await placeOrder(clerk, customerId, [{ sku: skus[0]!, quantity: 1 }]);
      const placed = await eventually(
        () =>
          clerk.get<{ status: string; version: number; problem: { step: string; kind: string } | null }>(
            `/api/orders/${order.id}`,
          ),
        (response) => !!response.body.problem,
      );
      expect(placed.body).toMatchObject({
        status: 'created',
        problem: { step: 'notifyOrder', kind: 'Defect' },
      });
      // No customer e-mail was planned for the confirmation; the order's row and history are there.
      const [planned] = await broken.orm.em
        .fork()
        .getConnection()
        .execute<{ n: number }[]>(
          `select count(*)::int as n from deliveries where order_id = ? and kind = 'order.created' and channel = 'email'`,
          [order.id],
        );
      expect(planned!.n).toBe(0);
      const history = await auditor.get<{ items: { kind: string }[] }>(`/api/orders/${order.id}/history`);
      expect(history.body.items.map((step) => step.kind)).toContain('order.created');

      // Approval's notification (order.processing) e-mails no customer, so it passes and the problem clears.
      const approved = await clerk.post<{ status: string; problem: unknown }>(
        `/api/orders/${order.id}/approve`,
        {},
      );
      expect([approved.status, approved.body.status, approved.body.problem]).toEqual([
        200,
        'processing',
        null,
      ]);
      const told = await auditor.get<{ items: { kind: string }[] }>(`/api/orders/${order.id}/history`);
      expect(told.body.items.map((step) => step.kind)).toContain('notified');
    });
  });

  describe('a compensation step that fails once on a defect', () => {
    let flaky: TestStack;
    let clerk: ApiClient;
    beforeAll(async () => {
      flaky = await startStack({ worker: false, env: ownTaskQueue('flaky-release') });
      clerk = await flaky.client(['staff'], 'flaky-release-clerk');
      // Releasing a cancelled order's stock fails once, after the release is committed, as a defect would;
      // the order tries again by itself.
      let failures = 0;
      await flaky.startWorker('flaky-release', {
        notifyStockChanged: () =>
          failures++ === 0 ? Promise.reject(new TypeError('the queue was read wrongly')) : Promise.resolve(),
      });
    });
    afterAll(() => flaky.close());

    it('shows the problem while it lasts, and not once the step has passed', async () => {
      const { customerId, skus } = await seedCatalogue(clerk, [{ unitPrice: 90_000, stockOnHand: 5 }]);
      const order = await placeOrder(clerk, customerId, [{ sku: skus[0]!, quantity: 1 }]);
      const cancelled = await clerk.post<{ status: string; problem: { step: string } | null }>(
        `/api/orders/${order.id}/cancel`,
        { reason: 'changed mind' },
      );
      expect([cancelled.status, cancelled.body.status, cancelled.body.problem?.step]).toEqual([
        200,
        'cancelled',
        'releaseStock',
      ]);
      const resolved = await eventually(
        () => clerk.get<{ problem: unknown }>(`/api/orders/${order.id}`),
        (response) => response.body.problem === null,
        60_000,
      );
      expect(resolved.body.problem).toBeNull();
    }, 90_000);
  });
});
