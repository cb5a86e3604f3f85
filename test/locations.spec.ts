import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { createInventoryActivities } from '../activities/inventory.activities';
import { readyLines } from '../domain/shipment.rules';
import { orderQuery, orderWorkflowId } from '../workflows/order.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import { recordHistory } from './support/histories';
import type { ApiClient } from './support/http';
import { cancelLeftWaiting, placeOrder, stockOf } from './support/orders';
import { startStack, type TestStack } from './support/stack';

/**
 * Stock locations (issue 24): warehouses, `MAIN` from the start; stock moved at a location moves the product's
 * totals with it; a product shows its stock per location; a shipment leaves from a location that holds its
 * units. Against the real API, workflow and PostgreSQL.
 */
type Level = { location: string; onHand: number; reserved: number; available: number };
type Product = {
  id: string;
  sku: string;
  stockOnHand: number;
  reserved: number;
  available: number;
  stock: Level[];
};
type Location = { code: string; name: string; createdAt: string };
type Refusal = { statusCode: number; message: string; field?: string };

describe('stock locations', () => {
  let stack: TestStack;
  let manager: ApiClient;
  let staff: ApiClient;

  beforeAll(async () => {
    stack = await startStack();
    manager = await stack.client(['manager'], 'warehouse-manager');
    staff = await stack.client(['staff'], 'picker');
  });
  afterAll(() => stack.close());

  const sql = <T>(query: string, params: unknown[] = []) =>
    stack.orm.em.fork().getConnection().execute<T & object>(query, params) as Promise<T>;

  /** A new location with a code no other test uses. */
  async function newLocation(): Promise<string> {
    const code = `W-${randomUUID().slice(0, 8).toUpperCase()}`;
    const created = await manager.post<Location>('/api/locations', { code, name: `Warehouse ${code}` });
    expect(created.status).toBe(201);
    return code;
  }

  /** A product with `atMain` units at MAIN and `atOther` at a new location, and a customer to order it. */
  async function stockedAtTwo(atMain: number, atOther: number) {
    const other = await newLocation();
    const { customerId, skus } = await seedCatalogue(staff, [{ unitPrice: 100, stockOnHand: atMain }]);
    const sku = skus[0]!;
    const { id } = await stockOf(staff, sku);
    const moved = await staff.post(`/api/products/${id}/stock`, {
      delta: atOther,
      reason: 'delivery',
      location: other,
    });
    expect(moved.status).toBe(200);
    return { other, customerId, sku };
  }

  /** Ships units of one line of the order (from `location` when named), by SF; a refusal's body when refused. */
  const shipPart = (
    orderId: string,
    sku: string,
    quantity: number,
    trackingNumber: string,
    location?: string,
  ) =>
    staff.post<{ location: string } & Partial<Refusal>>(`/api/orders/${orderId}/shipments`, {
      lines: [{ sku, quantity }],
      ...(location === undefined ? {} : { location }),
      carrier: 'SF',
      trackingNumber,
    });

  const product = async (sku: string) =>
    (await staff.get<Product>(`/api/products/${(await stockOf(staff, sku)).id}`)).body;
  const at = <Place extends { location: string }>(places: Place[], location: string) =>
    places.find((place) => place.location === location);

  it('starts with MAIN; managers create more and list them, MAIN first', async () => {
    const code = await newLocation();
    const list = await manager.get<{ items: Location[] }>('/api/locations');
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ code: 'MAIN' });
    expect(list.body.items).toContainEqual({
      code,
      name: `Warehouse ${code}`,
      createdAt: expect.any(String),
    });

    const audit = await sql<{ action: string }[]>(
      `select action from audit_log where entity = 'location' and entity_id = ?`,
      [code],
    );
    expect(audit).toEqual([{ action: 'location.created' }]);
  });

  it('refuses a taken code (409), a malformed one (400), and staff (403), creating nothing', async () => {
    const code = await newLocation();
    const before = (await manager.get<{ items: Location[] }>('/api/locations')).body.items.length;
    const taken = await manager.post<Refusal>('/api/locations', { code, name: 'again' });
    expect(taken.status).toBe(409);
    expect((await manager.post<Refusal>('/api/locations', { code: 'MAIN', name: 'again' })).status).toBe(409);
    const malformed = await manager.post<Refusal>('/api/locations', { code: 'east wing', name: 'x' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/^code/);
    expect((await staff.post('/api/locations', { code: 'W-STAFF', name: 'x' })).status).toBe(403);
    expect((await staff.get('/api/locations')).status).toBe(403);
    expect((await manager.get<{ items: Location[] }>('/api/locations')).body.items).toHaveLength(before);
  });

  it('moves stock at a location: the totals follow, the product shows each location', async () => {
    const east = await newLocation();
    const { skus } = await seedCatalogue(staff, [{ unitPrice: 100, stockOnHand: 20 }]);
    const sku = skus[0]!;
    const { id } = await stockOf(staff, sku);

    const fresh = await product(sku);
    expect(fresh.stock[0]).toEqual({ location: 'MAIN', onHand: 20, reserved: 0, available: 20 });
    expect(at(fresh.stock, east)).toEqual({ location: east, onHand: 0, reserved: 0, available: 0 });

    const moved = await staff.post(`/api/products/${id}/stock`, {
      delta: 7,
      reason: 'delivery',
      location: east,
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ stockOnHand: 27, reserved: 0, available: 27 });
    const main = await staff.post(`/api/products/${id}/stock`, { delta: -5, reason: 'breakage' });
    expect(main.status).toBe(200);

    const after = await product(sku);
    expect(after).toMatchObject({ stockOnHand: 22, reserved: 0, available: 22 });
    expect(at(after.stock, 'MAIN')).toEqual({ location: 'MAIN', onHand: 15, reserved: 0, available: 15 });
    expect(at(after.stock, east)).toEqual({ location: east, onHand: 7, reserved: 0, available: 7 });
    // Every location listed adds up to the totals.
    expect(after.stock.reduce((sum, level) => sum + level.onHand, 0)).toBe(22);
    const audit = await sql<{ after: { location?: string; delta: number } }[]>(
      `select after from audit_log where action = 'product.stock_adjusted' and entity_id = ? order by id`,
      [id],
    );
    expect(audit.map((row) => [row.after.delta, row.after.location])).toEqual([
      [7, east],
      [-5, 'MAIN'],
    ]);
  });

  it('refuses an unknown location (400) and more units than a location holds (409), moving nothing', async () => {
    const east = await newLocation();
    const { skus } = await seedCatalogue(staff, [{ unitPrice: 100, stockOnHand: 10 }]);
    const { id } = await stockOf(staff, skus[0]!);
    await staff.post(`/api/products/${id}/stock`, { delta: 3, reason: 'delivery', location: east });
    const before = await product(skus[0]!);

    const unknown = await staff.post<Refusal>(`/api/products/${id}/stock`, {
      delta: 5,
      reason: 'delivery',
      location: 'NOWHERE',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ field: 'location' });
    const tooMany = await staff.post<Refusal>(`/api/products/${id}/stock`, {
      delta: -4,
      reason: 'count',
      location: east,
    });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.message).toMatch(new RegExp(`location ${east} holds fewer units`));
    // MAIN holds 10 of the 13: it cannot give 11 either.
    const fromMain = await staff.post<Refusal>(`/api/products/${id}/stock`, { delta: -11, reason: 'count' });
    expect(fromMain.status).toBe(409);

    expect(await product(skus[0]!)).toEqual(before);
  });

  it('ships from a location that holds the units, and refuses one that does not or does not exist', async () => {
    const { other: east, customerId, sku } = await stockedAtTwo(10, 4);
    const placed = await placeOrder(staff, customerId, [{ sku, quantity: 12 }]);
    const approved = await staff.post(`/api/orders/${placed.id}/approve`, {});
    expect(approved.body).toMatchObject({ status: 'processing', awaiting: 'shipment' });
    // 12 reserved: held at MAIN's 10 first, then the other 2 at the east warehouse's 4.
    const reserved = await product(sku);
    expect(at(reserved.stock, 'MAIN')).toMatchObject({ onHand: 10, reserved: 10, available: 0 });
    expect(at(reserved.stock, east)).toMatchObject({ onHand: 4, reserved: 2, available: 2 });

    const shipped = await shipPart(placed.id, sku, 3, 'SF-EAST-1', east);
    expect(shipped.status).toBe(201);
    expect(shipped.body).toMatchObject({ location: east });
    const afterShipment = await product(sku);
    expect(afterShipment).toMatchObject({ stockOnHand: 11, reserved: 9 });
    expect(at(afterShipment.stock, east)).toMatchObject({ onHand: 1 });
    expect(at(afterShipment.stock, 'MAIN')).toMatchObject({ onHand: 10 });

    const rows = () =>
      sql<{ location: string }[]>(`select location from order_shipments where order_id = ?`, [placed.id]);
    const tooMany = await shipPart(placed.id, sku, 2, 'SF-EAST-2', east);
    expect(tooMany.status).toBe(409);
    expect(tooMany.body).toMatchObject({ field: 'location' });
    const nowhere = await shipPart(placed.id, sku, 1, 'SF-X', 'NOWHERE');
    expect(nowhere.status).toBe(400);
    expect(nowhere.body).toMatchObject({ field: 'location' });
    expect(await rows()).toEqual([{ location: east }]);
    expect(await product(sku)).toEqual(afterShipment);

    // The rest (9) leaves from MAIN, which holds it all, with the single ship action.
    const rest = await staff.post(`/api/orders/${placed.id}/ship`, {
      carrier: 'EMS',
      trackingNumber: 'E-MAIN',
    });
    expect(rest.body).toMatchObject({ status: 'shipped' });
    const done = await product(sku);
    expect(done).toMatchObject({ stockOnHand: 2, reserved: 0 });
    expect(at(done.stock, 'MAIN')).toMatchObject({ onHand: 1 });
    expect(at(done.stock, east)).toMatchObject({ onHand: 1 });
  });

  it('ships an order of 10 with 8 at MAIN and 2 at another location in two shipments, one from each', async () => {
    const { other: west, customerId, sku } = await stockedAtTwo(8, 2);
    const placed = await placeOrder(staff, customerId, [{ sku, quantity: 10 }]);
    expect((await staff.post(`/api/orders/${placed.id}/approve`, {})).body).toMatchObject({
      awaiting: 'shipment',
    });

    // The single ship action: no location holds all 10, so each sends what it holds, in a shipment of its own.
    type Shipped = {
      status: string;
      shipments: { location: string; lines: { sku: string; quantity: number }[]; trackingNumber: string }[];
    };
    const shipped = await staff.post<Shipped>(`/api/orders/${placed.id}/ship`, {
      carrier: 'SF',
      trackingNumber: 'SF-SPLIT',
    });
    expect(shipped.status).toBe(200);
    expect(shipped.body.status).toBe('shipped');
    expect(shipped.body.shipments.map(({ location, lines }) => [location, lines])).toEqual([
      ['MAIN', [{ sku, quantity: 8 }]],
      [west, [{ sku, quantity: 2 }]],
    ]);
    const done = await product(sku);
    expect(done).toMatchObject({ stockOnHand: 0, reserved: 0 });
    expect(at(done.stock, 'MAIN')).toMatchObject({ onHand: 0 });
    expect(at(done.stock, west)).toMatchObject({ onHand: 0 });

    // The order's history replays against today's workflow code.
    const handle = stack.temporal.workflow.getHandle(orderWorkflowId(placed.id));
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: process.env.OMS_TEST_WORKFLOW_BUNDLE! } },
      await handle.fetchHistory(),
      handle.workflowId,
    );
    recordHistory(stack, handle.workflowId, '', 'shipped-from-two-locations-at-once');
  });

  type OrderShipped = { status: string };

  it('ships once when the ship command runs a second time after its first run wrote a parcel', async () => {
    // An update's first workflow task may run `shipGoods` (which commits) and then be lost: Temporal runs the
    // handler again, or the caller gives up and repeats the request, from the order as it was. Here the first
    // run's effect is made by the activities themselves, as that run made it, before the request.
    const { other: west, customerId, sku } = await stockedAtTwo(8, 2);
    const placed = await placeOrder(staff, customerId, [{ sku, quantity: 10 }]);
    expect((await staff.post(`/api/orders/${placed.id}/approve`, {})).status).toBe(200);
    const workflowId = orderWorkflowId(placed.id);
    const handle = stack.temporal.workflow.getHandle(workflowId);
    const before = await handle.query(orderQuery);

    const activities = createInventoryActivities({
      em: () => stack.orm.em.fork(),
      notifyStockChanged: () => Promise.resolve(),
    });
    const lines = readyLines(before);
    const shipKey = `ship@${before.version}`;
    const { parcels } = await activities.planParcels({ lines, orderId: placed.id, shipKey });
    expect(parcels?.map(({ location }) => location)).toEqual(['MAIN', west]);
    const by = { id: 'lost-run', username: 'picker' };
    const lost = await activities.shipGoods({
      orderId: placed.id,
      shipment: {
        ...parcels![0]!,
        id: parcels![0]!.id!,
        carrier: 'SF',
        trackingNumber: 'SF-AGAIN',
        shippedAt: '2026-12-06T10:00:00.000Z',
        by,
      },
    });
    expect(lost.shipment.shippedAt).toBe('2026-12-06T10:00:00.000Z');

    // The second run, from the order before the first: the request (repeated, or the same update again).
    const second = await staff.post<OrderShipped>(`/api/orders/${placed.id}/ship`, {
      carrier: 'SF',
      trackingNumber: 'SF-AGAIN',
    });
    expect(second.status).toBe(200);
    const after = await handle.query(orderQuery);
    expect(after).toMatchObject({ status: 'shipped', awaiting: 'delivery' });
    expect(
      after.shipments?.map(({ id, location, lines: sent, shippedAt }) => [id, location, sent, shippedAt]),
    ).toEqual([
      [parcels![0]!.id, 'MAIN', [expect.objectContaining({ sku, quantity: 8 })], '2026-12-06T10:00:00.000Z'],
      [parcels![1]!.id, west, [expect.objectContaining({ sku, quantity: 2 })], expect.any(String)],
    ]);
    // The units left once, and the order's row says what its workflow says.
    const done = await product(sku);
    expect(done).toMatchObject({ stockOnHand: 0, reserved: 0 });
    expect(at(done.stock, 'MAIN')).toMatchObject({ onHand: 0 });
    expect(at(done.stock, west)).toMatchObject({ onHand: 0 });
    const rows = await sql<{ id: string; shipped_at: Date }[]>(
      'select id, shipped_at from order_shipments where order_id = ? order by shipped_at',
      [placed.id],
    );
    expect(rows.map(({ id }) => id)).toEqual([parcels![0]!.id, parcels![1]!.id]);
    const mirrored = await eventually(
      () => staff.get<{ status: string; shipments: { id: string }[] }>(`/api/orders/${placed.id}`),
      (got) => got.body.shipments.length === 2,
    );
    expect(mirrored.body.status).toBe('shipped');

    // The command repeated (a second request, its own shipment id) is refused by the order's state.
    const again = await staff.post<Refusal>(`/api/orders/${placed.id}/ship`, {
      carrier: 'SF',
      trackingNumber: 'SF-AGAIN',
    });
    expect(again.status).toBe(409);

    // Its history replays against today's workflow code, and is kept as a fixture for later code.
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: process.env.OMS_TEST_WORKFLOW_BUNDLE! } },
      await handle.fetchHistory(),
      workflowId,
    );
    recordHistory(stack, workflowId, '', 'shipped-from-two-locations-after-a-lost-first-run');
  });

  it("shows staff the order's lines per location, and a shipment naming no location leaves from one that holds it", async () => {
    const { other: west, customerId, sku } = await stockedAtTwo(8, 2);
    const placed = await placeOrder(staff, customerId, [{ sku, quantity: 10 }]);
    expect((await staff.post(`/api/orders/${placed.id}/approve`, {})).status).toBe(200);
    type AtLocation = { location: string; shipped: number; ready: number; onHand: number; available: number };
    type Fulfilment = {
      orderId: string;
      locations: Location[];
      lines: {
        sku: string;
        quantity: number;
        shippedQuantity: number;
        reservedQuantity: number;
        waitingQuantity: number;
        locations: AtLocation[];
      }[];
    };
    const view = async () => {
      const answer = await staff.get<Fulfilment>(`/api/orders/${placed.id}/fulfilment`);
      expect(answer.status).toBe(200);
      return answer.body;
    };

    const before = await view();
    expect(before.locations.map((location) => location.code)).toEqual(expect.arrayContaining(['MAIN', west]));
    expect(before.lines).toEqual([
      expect.objectContaining({
        sku,
        quantity: 10,
        shippedQuantity: 0,
        reservedQuantity: 10,
        waitingQuantity: 0,
      }),
    ]);
    expect(at(before.lines[0]!.locations, 'MAIN')).toEqual({
      location: 'MAIN',
      shipped: 0,
      ready: 8,
      onHand: 8,
      available: 0,
    });
    expect(at(before.lines[0]!.locations, west)).toEqual({
      location: west,
      shipped: 0,
      ready: 2,
      onHand: 2,
      available: 0,
    });

    // No location named: the first that holds all of it (MAIN for 8, then the other for the last 2).
    const ship = (quantity: number, trackingNumber: string) =>
      shipPart(placed.id, sku, quantity, trackingNumber);
    const first = await ship(8, 'SF-VIEW-1');
    expect(first.status).toBe(201);
    expect(first.body.location).toBe('MAIN');
    const second = await ship(2, 'SF-VIEW-2');
    expect(second.status).toBe(201);
    expect(second.body.location).toBe(west);

    const after = await view();
    expect(after.lines[0]).toMatchObject({ shippedQuantity: 10, reservedQuantity: 0, waitingQuantity: 0 });
    expect(at(after.lines[0]!.locations, 'MAIN')).toMatchObject({ shipped: 8, ready: 0, onHand: 0 });
    expect(at(after.lines[0]!.locations, west)).toMatchObject({ shipped: 2, ready: 0, onHand: 0 });
    expect((await staff.get(`/api/orders/${randomUUID()}/fulfilment`)).status).toBe(404);
  });

  it('holds reserved units at a location: a correction there may not take them, nor another order ship them', async () => {
    const { other: east, customerId, sku } = await stockedAtTwo(2, 3);
    // Only the east warehouse has all 3 of the first order: they are held there, though MAIN comes first;
    // the second order's 2 are held at MAIN, which has them.
    const first = await placeOrder(staff, customerId, [{ sku, quantity: 3 }]);
    expect((await staff.post(`/api/orders/${first.id}/approve`, {})).body).toMatchObject({
      awaiting: 'shipment',
    });
    const second = await placeOrder(staff, customerId, [{ sku, quantity: 2 }]);
    expect((await staff.post(`/api/orders/${second.id}/approve`, {})).body).toMatchObject({
      awaiting: 'shipment',
    });
    const held = await product(sku);
    expect(held).toMatchObject({ stockOnHand: 5, reserved: 5, available: 0 });
    expect(at(held.stock, east)).toEqual({ location: east, onHand: 3, reserved: 3, available: 0 });
    expect(at(held.stock, 'MAIN')).toEqual({ location: 'MAIN', onHand: 2, reserved: 2, available: 0 });

    // Restocked at MAIN, the totals would allow taking 2 from the east warehouse; its 3 are held there.
    const { id } = await stockOf(staff, sku);
    expect((await staff.post(`/api/products/${id}/stock`, { delta: 4, reason: 'delivery' })).status).toBe(
      200,
    );
    const correction = await staff.post<Refusal & { location?: string; reserved?: number }>(
      `/api/products/${id}/stock`,
      { delta: -2, reason: 'count', location: east },
    );
    expect(correction.status).toBe(409);
    expect(correction.body).toMatchObject({ field: 'delta', location: east, reserved: 3 });
    expect(correction.body.message).toContain(east);
    const unchanged = await product(sku);
    expect(at(unchanged.stock, east)).toEqual({ location: east, onHand: 3, reserved: 3, available: 0 });
    expect(unchanged).toMatchObject({ stockOnHand: 9, reserved: 5, available: 4 });

    // The second order may not take the east warehouse's units from the first; from MAIN it ships.
    const taken = await shipPart(second.id, sku, 2, 'SF-TAKEN', east);
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ field: 'location' });
    const shipped = await shipPart(second.id, sku, 2, 'SF-MAIN');
    expect(shipped).toMatchObject({ status: 201, body: { location: 'MAIN' } });
    // The first order ships from MAIN's free units instead of its own at the east warehouse: those are free then.
    const moved = await shipPart(first.id, sku, 1, 'SF-MOVED', 'MAIN');
    expect(moved).toMatchObject({ status: 201, body: { location: 'MAIN' } });
    const after = await product(sku);
    expect(after).toMatchObject({ stockOnHand: 6, reserved: 2, available: 4 });
    expect(at(after.stock, 'MAIN')).toEqual({ location: 'MAIN', onHand: 3, reserved: 0, available: 3 });
    expect(at(after.stock, east)).toEqual({ location: east, onHand: 3, reserved: 2, available: 1 });
    const rest = await staff.post<{ status: string; shipments: { location: string }[] }>(
      `/api/orders/${first.id}/ship`,
      { carrier: 'SF', trackingNumber: 'SF-REST' },
    );
    expect(rest.body.status).toBe('shipped');
    expect(rest.body.shipments.map((shipment) => shipment.location)).toEqual(['MAIN', east]);
  });

  it('serves a waiting order from a restock at a location, and holds its units there', async () => {
    const east = await newLocation();
    const { customerId, skus } = await seedCatalogue(staff, [{ unitPrice: 100, stockOnHand: 0 }]);
    const sku = skus[0]!;
    const placed = await placeOrder(staff, customerId, [{ sku, quantity: 2 }]);
    expect((await staff.post(`/api/orders/${placed.id}/approve`, {})).body).toMatchObject({
      awaiting: 'stock',
    });
    const { id } = await stockOf(staff, sku);
    expect(
      (await staff.post(`/api/products/${id}/stock`, { delta: 2, reason: 'delivery', location: east }))
        .status,
    ).toBe(200);
    await eventually(
      async () => (await staff.get<{ awaiting: string }>(`/api/orders/${placed.id}`)).body.awaiting,
      (awaiting) => awaiting === 'shipment',
    );
    const held = await product(sku);
    expect(at(held.stock, east)).toEqual({ location: east, onHand: 2, reserved: 2, available: 0 });
    expect(at(held.stock, 'MAIN')).toEqual({ location: 'MAIN', onHand: 0, reserved: 0, available: 0 });
    const shipped = await staff.post<{ shipments: { location: string }[] }>(`/api/orders/${placed.id}/ship`, {
      carrier: 'SF',
      trackingNumber: 'SF-RESTOCKED',
    });
    expect(shipped.body.shipments.map((shipment) => shipment.location)).toEqual([east]);
  });

  // Fifty orders through the pipeline at once: a minute's work on a busy 2-core machine.
  it('never oversells across two locations: 50 orders racing for 5 units at MAIN and 5 at another', async () => {
    const { other: west, customerId, sku } = await stockedAtTwo(5, 5);
    const orders = await Promise.all(
      Array.from({ length: 50 }, () => placeOrder(staff, customerId, [{ sku, quantity: 1 }])),
    );
    type Answer = { awaiting: string; shipments: { location: string }[] };
    const approved = await Promise.all(
      orders.map((order) => staff.post<Answer>(`/api/orders/${order.id}/approve`, {})),
    );
    expect(approved.map((response) => response.status)).toEqual(orders.map(() => 200));
    const served = orders.filter((_, index) => approved[index]!.body.awaiting === 'shipment');
    expect(served).toHaveLength(10);
    expect(approved.filter((response) => response.body.awaiting === 'stock')).toHaveLength(40);
    expect(await product(sku)).toMatchObject({ stockOnHand: 10, reserved: 10 });

    // Each served order ships from where its unit is held: five from MAIN, five from the other location.
    const from: string[] = [];
    for (const order of served) {
      const shipped = await staff.post<Answer>(`/api/orders/${order.id}/ship`, {
        carrier: 'SF',
        trackingNumber: `SF-${order.number}`,
      });
      expect(shipped.status).toBe(200);
      from.push(...shipped.body.shipments.map((shipment) => shipment.location));
    }
    expect(from.sort()).toEqual([...Array(5).fill('MAIN'), ...Array(5).fill(west)].sort());
    const done = await product(sku);
    expect(done).toMatchObject({ stockOnHand: 0, reserved: 0 });
    expect(at(done.stock, 'MAIN')).toMatchObject({ onHand: 0 });
    expect(at(done.stock, west)).toMatchObject({ onHand: 0 });

    await cancelLeftWaiting(
      staff,
      orders.filter((_, index) => approved[index]!.body.awaiting === 'stock').map((order) => order.id),
    );
  }, 240_000);

  it('lets managers set the order of preference: ship sends from the preferred location that holds it all', async () => {
    const { other: west, customerId, sku } = await stockedAtTwo(5, 5);
    const before = (await manager.get<{ preference: string[] }>('/api/settings/locations')).body.preference;
    expect(before[0]).toBe('MAIN');
    expect(before[before.length - 1]).toBe(west);

    // Refused, changing nothing: a location left out, one named twice, an unknown one; staff may not.
    const others = before.filter((code) => code !== west);
    for (const preference of [others, [west, ...before], [west, 'NOWHERE', ...others.slice(1)]]) {
      const refused = await manager.put<Refusal>('/api/settings/locations', { preference });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ field: 'preference' });
    }
    expect((await staff.put('/api/settings/locations', { preference: before })).status).toBe(403);
    expect((await manager.get<{ preference: string[] }>('/api/settings/locations')).body.preference).toEqual(
      before,
    );

    const preferred = [west, ...others];
    try {
      const set = await manager.put<{ preference: string[] }>('/api/settings/locations', {
        preference: preferred,
      });
      expect(set).toMatchObject({ status: 200, body: { preference: preferred } });
      expect((await manager.get<{ items: Location[] }>('/api/locations')).body.items[0]).toMatchObject({
        code: west,
      });
      const audit = await sql<{ before: unknown; after: unknown }[]>(
        `select before, after from audit_log where action = 'settings.locations_changed' order by id desc limit 1`,
      );
      expect(audit).toEqual([{ before: { preference: before }, after: { preference: preferred } }]);

      // Both hold the 3 ordered: they leave from the preferred one, which the reserved units count against.
      const placed = await placeOrder(staff, customerId, [{ sku, quantity: 3 }]);
      await staff.post(`/api/orders/${placed.id}/approve`, {});
      const reserved = await product(sku);
      expect(reserved.stock[0]).toMatchObject({ location: west, onHand: 5, reserved: 3 });
      expect(at(reserved.stock, 'MAIN')).toMatchObject({ onHand: 5, reserved: 0 });
      const shipped = await staff.post<{ shipments: { location: string }[] }>(
        `/api/orders/${placed.id}/ship`,
        {
          carrier: 'SF',
          trackingNumber: `SF-${placed.number}`,
        },
      );
      expect(shipped.body.shipments.map((shipment) => shipment.location)).toEqual([west]);
      expect(at((await product(sku)).stock, west)).toMatchObject({ onHand: 2 });
    } finally {
      // Other tests (and files) ship from MAIN first.
      await manager.put('/api/settings/locations', { preference: before });
    }
  });
});
