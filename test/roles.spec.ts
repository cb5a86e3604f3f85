import { randomUUID } from 'node:crypto';
import type { Role } from '../db/entities';
import { seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder } from './support/orders';
import { startStack, type TestStack } from './support/stack';

/**
 * Every cell of the contract's role table, against the running API. "Allowed" means the guard let the
 * request through (whatever the handler then said: 2xx, 400, 404, 409); "refused" means 403. The guard
 * runs before the handler, so a refused role gets 403 whether or not the id exists.
 */
const ALL: Role[] = ['admin', 'manager', 'staff', 'auditor'];
const nobody = randomUUID();

interface Cell {
  action: string;
  allowed: Role[];
  request: (ids: Ids) => [method: string, path: string, body?: unknown];
  /** The route's pattern, when a path parameter is not an id (`:kind`, `:stage`). */
  route?: string;
}
interface Ids {
  customerId: string;
  productId: string;
  sku: string;
}

const TABLE: Cell[] = [
  {
    action: 'create a customer',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', '/api/customers', { name: 'R', email: 'r@example.com' }],
  },
  {
    action: 'edit a customer',
    allowed: ['admin', 'manager', 'staff'],
    request: (i) => ['PATCH', `/api/customers/${i.customerId}`, { phone: '1' }],
  },
  {
    action: 'create a product',
    allowed: ['admin', 'manager', 'staff'],
    request: () => [
      'POST',
      '/api/products',
      { sku: `R-${randomUUID().slice(0, 8)}`, name: 'R', unitPrice: 1, currency: 'CNY', stockOnHand: 1 },
    ],
  },
  {
    action: 'edit a product',
    allowed: ['admin', 'manager', 'staff'],
    request: (i) => ['PATCH', `/api/products/${i.productId}`, { name: 'R2' }],
  },
  {
    action: 'adjust stock',
    allowed: ['admin', 'manager', 'staff'],
    request: (i) => ['POST', `/api/products/${i.productId}/stock`, { delta: 1, reason: 'r' }],
  },
  {
    action: 'create an order',
    allowed: ['admin', 'manager', 'staff'],
    request: (i) => [
      'POST',
      '/api/orders',
      { customerId: i.customerId, lines: [{ sku: i.sku, quantity: 1 }] },
    ],
  },
  {
    action: 'edit an order',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['PATCH', `/api/orders/${nobody}`, { notes: 'x' }],
  },
  {
    action: 'ship an order',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/orders/${nobody}/ship`, { carrier: 'c', trackingNumber: 't' }],
  },
  {
    action: 'ship part of an order',
    allowed: ['admin', 'manager', 'staff'],
    request: (i) => [
      'POST',
      `/api/orders/${nobody}/shipments`,
      { lines: [{ sku: i.sku, quantity: 1 }], carrier: 'c', trackingNumber: 't' },
    ],
  },
  {
    action: 'complete an order',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/orders/${nobody}/complete`, {}],
  },
  {
    action: 'cancel an order',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/orders/${nobody}/cancel`, { reason: 'r' }],
  },
  {
    action: 'retry a payment',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/orders/${nobody}/retry-payment`, {}],
  },
  {
    action: 'claim an order',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/orders/${nobody}/claim`, {}],
  },
  {
    action: 'unclaim an order',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/orders/${nobody}/unclaim`, {}],
  },
  {
    action: 'assign an order',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/orders/${nobody}/assign`, { userId: nobody }],
  },
  {
    action: 'read the task list',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['GET', '/api/tasks'],
  },
  {
    action: 'approve an order',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/orders/${nobody}/approve`, {}],
  },
  {
    action: 'reject an order',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/orders/${nobody}/reject`, { reason: 'r' }],
  },
  { action: 'read orders', allowed: ALL, request: () => ['GET', '/api/orders'] },
  { action: 'read an order', allowed: ALL, request: () => ['GET', `/api/orders/${nobody}`] },
  { action: 'read customers', allowed: ALL, request: () => ['GET', '/api/customers'] },
  { action: 'read a customer', allowed: ALL, request: (i) => ['GET', `/api/customers/${i.customerId}`] },
  { action: 'read products', allowed: ALL, request: () => ['GET', '/api/products'] },
  { action: 'read a product', allowed: ALL, request: (i) => ['GET', `/api/products/${i.productId}`] },
  { action: 'read approval limits', allowed: ALL, request: () => ['GET', '/api/settings/approval'] },
  {
    action: 'change approval limits',
    allowed: ['admin', 'manager'],
    request: () => ['PUT', '/api/settings/approval', { autoApproveBelow: 0, staffApprovalLimit: 'invalid' }],
  },
  {
    action: 'read order history',
    allowed: ['admin', 'manager', 'auditor'],
    request: () => ['GET', `/api/orders/${nobody}/history`],
  },
  {
    action: 'export raw history',
    allowed: ['admin', 'manager', 'auditor'],
    request: () => ['GET', `/api/orders/${nobody}/history/raw`],
  },
  {
    action: "open the order's workflow in the Temporal UI",
    allowed: ['admin'],
    request: () => ['GET', `/api/orders/${nobody}/workflow-link`],
  },
  {
    action: 'verify history by replay',
    allowed: ['admin', 'manager', 'auditor'],
    request: () => ['POST', `/api/orders/${nobody}/history/verify`],
  },
  {
    action: 'read the audit log',
    allowed: ['admin', 'manager', 'auditor'],
    request: () => ['GET', '/api/audit'],
  },
  { action: 'create a user', allowed: ['admin'], request: () => ['POST', '/api/users', { username: 'x' }] },
  { action: 'list users', allowed: ['admin'], request: () => ['GET', '/api/users'] },
  { action: 'list backups', allowed: ['admin'], request: () => ['GET', '/api/backups'] },
  { action: 'start a backup', allowed: ['admin'], request: () => ['POST', '/api/backups'] },
  {
    action: 'change a user',
    allowed: ['admin'],
    request: () => ['PATCH', `/api/users/${nobody}`, { displayName: 'x' }],
  },
  {
    action: "end a user's sessions",
    allowed: ['admin'],
    request: () => ['DELETE', `/api/users/${nobody}/sessions`],
  },
  { action: 'read own identity', allowed: ALL, request: () => ['GET', '/api/auth/me'] },
  {
    action: 'change own language',
    allowed: ALL,
    request: () => ['PATCH', '/api/auth/me', { language: 'invalid' }],
  },
  {
    action: 'read own notifications',
    allowed: ALL,
    request: () => ['GET', '/api/notifications?unread=true'],
  },
  {
    action: 'mark a notification read',
    allowed: ALL,
    request: () => ['POST', `/api/notifications/${nobody}/read`],
  },
  { action: 'read deliveries', allowed: ALL, request: () => ['GET', '/api/deliveries'] },
  {
    action: 'resend a delivery',
    allowed: ['admin', 'manager'],
    request: () => ['POST', `/api/deliveries/${nobody}/resend`],
  },
  {
    action: 'read delivery destinations',
    allowed: ALL,
    request: () => ['GET', '/api/deliveries/destinations'],
  },
  {
    action: 'pause a delivery destination',
    allowed: ['admin', 'manager'],
    request: () => ['POST', `/api/deliveries/destinations/${nobody}/pause`],
  },
  {
    action: 'resume a delivery destination',
    allowed: ['admin', 'manager'],
    request: () => ['POST', `/api/deliveries/destinations/${nobody}/resume`],
  },
  {
    action: 'choose own e-mail notifications',
    allowed: ALL,
    request: () => ['PATCH', '/api/auth/me', { emailNotifications: 'invalid' }],
  },
  {
    action: 'read an archived order',
    allowed: ['admin', 'manager', 'auditor'],
    request: () => ['GET', `/api/orders/${nobody}/archive`],
  },
  {
    action: 'read notification recipients',
    allowed: ['admin', 'manager', 'auditor'],
    request: () => ['GET', '/api/settings/notifications'],
  },
  {
    action: 'change notification recipients',
    allowed: ['admin', 'manager'],
    request: () => ['PUT', '/api/settings/notifications/order.processing', { roles: 'invalid' }],
    route: 'PUT /api/settings/notifications/:kind',
  },
  {
    action: 'read the assignment rules',
    allowed: ['admin', 'manager', 'auditor'],
    request: () => ['GET', '/api/settings/assignment'],
  },
  {
    action: 'change the assignment rules',
    allowed: ['admin', 'manager'],
    request: () => ['PUT', '/api/settings/assignment', { rules: 'invalid' }],
  },
  { action: 'list webhooks', allowed: ['admin'], request: () => ['GET', '/api/webhooks'] },
  {
    action: 'register a webhook',
    allowed: ['admin'],
    request: () => ['POST', '/api/webhooks', { url: 'not a url' }],
  },
  { action: 'remove a webhook', allowed: ['admin'], request: () => ['DELETE', `/api/webhooks/${nobody}`] },
  // Order intake (issue 27): invalid bodies and unknown ids, so an allowed role changes nothing.
  {
    action: 'preview an order import',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', '/api/imports/orders', {}],
  },
  {
    action: 'read an import',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['GET', `/api/imports/${nobody}`],
  },
  {
    action: 'commit an import',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/imports/${nobody}/commit`, {}],
  },
  {
    action: 'act on many orders at once',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', '/api/orders/bulk', { action: 'approve', ids: [nobody] }],
  },
  { action: 'list own saved views', allowed: ALL, request: () => ['GET', '/api/views'] },
  { action: 'save a view', allowed: ALL, request: () => ['POST', '/api/views', {}] },
  { action: 'delete own saved view', allowed: ALL, request: () => ['DELETE', `/api/views/${nobody}`] },
  { action: 'read the return settings', allowed: ALL, request: () => ['GET', '/api/settings/returns'] },
  {
    action: 'change the return settings',
    allowed: ['admin', 'manager'],
    request: () => ['PUT', '/api/settings/returns', {}],
  },
  {
    action: 'request a return',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/orders/${nobody}/returns`, {}],
  },
  { action: 'list returns', allowed: ALL, request: () => ['GET', '/api/returns'] },
  { action: 'read a return', allowed: ALL, request: () => ['GET', `/api/returns/${nobody}`] },
  ...(['approve', 'reject', 'receive', 'refund', 'close'] as const).map((step): Cell => ({
    action: `${step} a return`,
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/returns/${nobody}/${step}`, {}],
  })),
  ...(['claim', 'unclaim'] as const).map((step): Cell => ({
    action: `${step} a return`,
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/returns/${nobody}/${step}`, {}],
  })),
  {
    action: 'assign a return',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/returns/${nobody}/assign`, { userId: nobody }],
  },
  {
    action: 'read a credit note',
    allowed: ALL,
    request: () => ['GET', `/api/returns/${nobody}/credit-note`],
  },
  {
    action: 'read an order’s conversation',
    allowed: ALL,
    request: () => ['GET', `/api/orders/${nobody}/messages`],
  },
  {
    action: 'write to an order’s customer',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/orders/${nobody}/messages`, {}],
  },
  {
    action: 'list inbound mail',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['GET', '/api/inbound'],
  },
  {
    action: 'file inbound mail',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/inbound/${nobody}/file`, {}],
  },
  {
    action: 'close inbound mail',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/inbound/${nobody}/close`, {}],
  },
  {
    action: 'download an inbound mail’s attachment',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['GET', `/api/inbound/${nobody}/attachments/0`],
    route: 'GET /api/inbound/:id/attachments/:n',
  },
  {
    action: 'download an attachment of an order’s conversation',
    allowed: ALL,
    request: () => ['GET', `/api/orders/${nobody}/messages/${nobody}/attachments/0`],
    route: 'GET /api/orders/:id/messages/:messageId/attachments/:n',
  },
  {
    action: 'read the quote conversion report',
    allowed: ['admin', 'manager', 'auditor'],
    request: () => ['GET', '/api/reports/quotes'],
  },
  {
    action: 'read the returns report',
    allowed: ['admin', 'manager', 'auditor'],
    request: () => ['GET', '/api/reports/returns'],
  },
  {
    action: 'read the waiting report',
    allowed: ['admin', 'manager', 'auditor'],
    request: () => ['GET', '/api/reports/waiting'],
  },
  {
    action: 'hand one’s work to a delegate',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['PUT', '/api/auth/me/delegate', {}],
  },
  {
    action: 'read one’s delegation',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['GET', '/api/auth/me/delegate'],
  },
  {
    action: 'list who may hold work',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['GET', '/api/tasks/people'],
  },
  {
    action: 'create a quote',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', '/api/quotes', { customerId: nobody, lines: [], validUntil: 'soon' }],
  },
  { action: 'list quotes', allowed: ALL, request: () => ['GET', '/api/quotes'] },
  { action: 'read a quote', allowed: ALL, request: () => ['GET', `/api/quotes/${nobody}`] },
  {
    action: 'send a quote',
    allowed: ['admin', 'manager', 'staff'],
    request: () => ['POST', `/api/quotes/${nobody}/send`, {}],
  },
  { action: 'create an API key', allowed: ['admin'], request: () => ['POST', '/api/api-keys', { name: '' }] },
  { action: 'list API keys', allowed: ['admin'], request: () => ['GET', '/api/api-keys'] },
  { action: 'revoke an API key', allowed: ['admin'], request: () => ['DELETE', `/api/api-keys/${nobody}`] },
  {
    action: 'poll the order events',
    allowed: ['admin', 'manager', 'auditor'],
    request: () => ['GET', '/api/integration/events?limit=1'],
  },
  { action: 'read escalation policies', allowed: ALL, request: () => ['GET', '/api/escalation-policies'] },
  {
    action: 'change an escalation policy',
    allowed: ['admin', 'manager'],
    request: () => ['PUT', '/api/escalation-policies/approval', { levels: 'invalid' }],
    route: 'PUT /api/escalation-policies/:stage',
  },
  {
    action: 'read the working-hours calendar',
    allowed: ALL,
    request: () => ['GET', '/api/settings/calendar'],
  },
  {
    action: 'change the working-hours calendar',
    allowed: ['admin', 'manager'],
    request: () => ['PUT', '/api/settings/calendar', { timeZone: 'invalid' }],
  },
  {
    action: 'read overdue orders',
    allowed: ['admin', 'manager'],
    request: () => ['GET', '/api/escalations/overdue'],
  },
  {
    action: 'read the sales report',
    allowed: ['admin', 'manager', 'auditor'],
    request: () => ['GET', '/api/reports/sales'],
  },
  {
    action: 'read the customer report',
    allowed: ['admin', 'manager', 'auditor'],
    request: () => ['GET', '/api/reports/customers'],
  },
  {
    action: 'read the product report',
    allowed: ['admin', 'manager', 'auditor'],
    request: () => ['GET', '/api/reports/products'],
  },
  {
    action: 'read the pipeline report',
    allowed: ['admin', 'manager', 'auditor'],
    request: () => ['GET', '/api/reports/pipeline?format=csv'],
  },
  { action: 'read an invoice', allowed: ALL, request: () => ['GET', `/api/orders/${nobody}/invoice`] },
  {
    action: 'read a packing slip',
    allowed: ALL,
    request: () => ['GET', `/api/orders/${nobody}/packing-slip`],
  },
  {
    action: 'read a shipping label',
    allowed: ALL,
    request: () => ['GET', `/api/orders/${nobody}/shipping-label?format=pdf`],
  },
  {
    action: "read a shipment's packing slip",
    allowed: ALL,
    request: () => ['GET', `/api/orders/${nobody}/shipments/${nobody}/packing-slip`],
    route: 'GET /api/orders/:id/shipments/:shipmentId/packing-slip',
  },
  {
    action: "read a shipment's shipping label",
    allowed: ALL,
    request: () => ['GET', `/api/orders/${nobody}/shipments/${nobody}/shipping-label`],
    route: 'GET /api/orders/:id/shipments/:shipmentId/shipping-label',
  },
  {
    action: "read an order's lines per stock location",
    allowed: ALL,
    request: () => ['GET', `/api/orders/${nobody}/fulfilment`],
    route: 'GET /api/orders/:id/fulfilment',
  },
  { action: 'list stock locations', allowed: ['admin', 'manager'], request: () => ['GET', '/api/locations'] },
  {
    action: 'create a stock location',
    allowed: ['admin', 'manager'],
    request: () => [
      'POST',
      '/api/locations',
      { code: `R-${randomUUID().slice(0, 8).toUpperCase()}`, name: 'R' },
    ],
  },
  {
    action: 'read the order of preference among stock locations',
    allowed: ['admin', 'manager'],
    request: () => ['GET', '/api/settings/locations'],
  },
  {
    action: 'set the order of preference among stock locations',
    allowed: ['admin', 'manager'],
    request: () => ['PUT', '/api/settings/locations', {}],
  },
  { action: 'read the seller settings', allowed: ALL, request: () => ['GET', '/api/settings/seller'] },
  {
    action: 'change the seller settings',
    allowed: ['admin', 'manager'],
    request: () => ['PUT', '/api/settings/seller', { taxRateBp: 'invalid' }],
  },
  { action: 'give feedback', allowed: ALL, request: () => ['POST', '/api/feedback', { message: '' }] },
  { action: 'read feedback', allowed: ['admin', 'manager'], request: () => ['GET', '/api/feedback'] },
  {
    action: 'mark feedback handled',
    allowed: ['admin', 'manager'],
    request: () => ['POST', `/api/feedback/${nobody}/handled`],
  },
];

describe('the role table', () => {
  let stack: TestStack;
  const clients = {} as Record<Role, ApiClient>;
  let ids: Ids;

  beforeAll(async () => {
    stack = await startStack();
    for (const role of ALL) clients[role] = await stack.client([role], `role-${role}`);
    const { customerId, skus } = await seedCatalogue(clients.staff);
    const products = await clients.staff.get<{ items: { id: string }[] }>(`/api/products?q=${skus[0]!}`);
    ids = { customerId, productId: products.body.items[0]!.id, sku: skus[0]! };
  });
  afterAll(() => stack.close());

  const cells = TABLE.flatMap((cell) => ALL.map((role) => [cell.action, role, cell] as const));

  it.each(cells)('%s as %s', async (_action, role, cell) => {
    const [method, path, body] = cell.request(ids);
    const response = await clients[role].call(method, path, body);
    if (cell.allowed.includes(role)) {
      expect([role, response.status]).not.toEqual([role, 403]);
      expect(response.status).not.toBe(401);
      expect(response.status).toBeLessThan(500);
    } else {
      expect([role, response.status]).toEqual([role, 403]);
      expect(response.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    }
  });

  it('lets only managers and admins approve or reject above the staff approval limit', async () => {
    const limit = (await clients.staff.get<{ staffApprovalLimit: number }>('/api/settings/approval')).body
      .staffApprovalLimit;
    const { customerId, skus } = await seedCatalogue(clients.staff, [
      { unitPrice: limit + 1, stockOnHand: 10 },
    ]);
    for (const [role, allowed] of [
      ['staff', false],
      ['auditor', false],
      ['manager', true],
      ['admin', true],
    ] as const) {
      const order = await placeOrder(clients.staff, customerId, [{ sku: skus[0]!, quantity: 1 }]);
      expect(order.awaiting).toBe('manager_approval');
      const approve = await clients[role].post(`/api/orders/${order.id}/approve`, {});
      expect([role, approve.status]).toEqual([role, allowed ? 200 : 403]);
      const other = await placeOrder(clients.staff, customerId, [{ sku: skus[0]!, quantity: 1 }]);
      const reject = await clients[role].post(`/api/orders/${other.id}/reject`, { reason: 'too big' });
      expect([role, reject.status]).toEqual([role, allowed ? 200 : 403]);
    }
  });

  it('declares roles on every route the application serves', () => {
    const documented = new Set(
      TABLE.map(
        (cell) =>
          cell.route ??
          `${cell.request(ids)[0]} ${cell
            .request(ids)[1]
            .split('?')[0]!
            .replace(/[0-9a-f-]{36}/g, ':id')}`,
      ),
    );
    const router = (
      stack.app.getHttpAdapter().getInstance() as {
        router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
      }
    ).router.stack;
    const served = router
      .filter((layer) => layer.route && Object.keys(layer.route.methods).length === 1)
      .map((layer) => `${Object.keys(layer.route!.methods)[0]!.toUpperCase()} ${layer.route!.path}`)
      .filter(
        (route) =>
          ![
            'POST /api/auth/login',
            'POST /api/auth/session',
            'POST /api/auth/logout',
            'GET /health',
            'GET /metrics',
            'GET /api/events',
            'GET /api/docs',
            // The customer's tracking page: no sign-in, a signed link instead (test/tracking.spec.ts).
            'GET /track/',
            // The customer's quote page and its answers: a signed link instead (test/quotes.spec.ts).
            'GET /q/',
            'POST /q/',
            // The customer's return request through that link (test/return-customer.spec.ts).
            'POST /track/',
          ].some((open) => route.startsWith(open)),
      );
    // Every other served route has a row in the table above.
    expect(served.filter((route) => !documented.has(route))).toEqual([]);
  });
});
