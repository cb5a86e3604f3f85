import { seedCatalogue } from './support/fixtures';
import { placeOrder, type OrderBody } from './support/orders';
import { useStack } from './support/stack';

/**
 * Assignment rules a manager sets (`GET/PUT /api/settings/assignment`, issue 26): new orders above an amount
 * go to a named person, or round-robin to the members of a role, as they are created. The rules are shared
 * by every test file; these orders are in yen, which no other file uses, and the last test empties the rules.
 */
type Assignee = { id: string; username: string } | null;
type Assigned = OrderBody & { assignee: Assignee };
type Me = { id: string; username: string };
type Rule = { above: number; currency: string; userId?: string; role?: string };
type Audit = { items: { action: string; actor: { username: string }; after: { assignee: Assignee } }[] };
type Users = { items: { id: string; username: string; roles: string[]; disabled: boolean }[] };

describe('assignment rules for new orders', () => {
  const t = useStack({
    boss: [['manager'], 'rules-boss'],
    big: [['staff'], 'rules-big-deals'],
    clerk: [['staff'], 'rules-clerk'],
    auditor: [['auditor'], 'rules-auditor'],
    admin: [['admin'], 'rules-admin'],
  });
  let customerId: string;
  let sku: string;
  let big: Me;

  beforeAll(async () => {
    ({
      customerId,
      skus: [sku = ''],
    } = await seedCatalogue(t.clerk, [{ unitPrice: 100_00, stockOnHand: 100_000, currency: 'JPY' }]));
    big = (await t.big.get<Me>('/api/auth/me')).body;
  });
  const setRules = (rules: Rule[]) =>
    t.boss.put<{ rules: Rule[]; message?: string }>('/api/settings/assignment', { rules });
  const order = (quantity: number) =>
    placeOrder(t.clerk, customerId, [{ sku, quantity }]) as Promise<Assigned>;

  it('gives an order above the amount to the named person at creation, recorded as the rule’s assignment', async () => {
    const rules = [{ above: 500_00, currency: 'JPY', userId: big.id }];
    const set = await setRules(rules);
    expect([set.status, set.body]).toEqual([200, { rules }]);
    expect((await t.auditor.get('/api/settings/assignment')).body).toEqual({ rules });

    const large = await order(6);
    expect(large.assignee).toMatchObject({ id: big.id, username: 'rules-big-deals' });
    expect((await t.big.get<Assigned>(`/api/orders/${large.id}`)).body.assignee?.id).toBe(big.id);
    const audit = await t.admin.get<Audit>(`/api/audit?entity=order&entityId=${large.id}`);
    expect(audit.body.items.filter((entry) => entry.action.startsWith('order.'))).toEqual([
      expect.objectContaining({
        action: 'order.assigned',
        actor: expect.objectContaining({ username: 'assignment-rule' }),
        after: expect.objectContaining({ assignee: expect.objectContaining({ id: big.id }) }),
      }),
    ]);

    // At the amount, not above it: nobody's.
    expect((await order(5)).assignee).toBeNull();
  });

  it('goes round-robin in a role, fairly also when the orders are created at the same moment', async () => {
    await setRules([{ above: 0, currency: 'JPY', role: 'manager' }]);
    const members = (await t.admin.get<Users>('/api/users')).body.items
      .filter((user) => !user.disabled && user.roles.includes('manager'))
      .map((user) => user.id);
    const created = await Promise.all(Array.from({ length: 12 }, () => order(1)));
    const counts = new Map(members.map((id) => [id, 0]));
    for (const placed of created) {
      expect(members).toContain(placed.assignee?.id);
      counts.set(placed.assignee!.id, counts.get(placed.assignee!.id)! + 1);
    }
    // Twelve consecutive turns: nobody gets a second order before every member has had one.
    const spread = [...counts.values()];
    expect(Math.max(...spread) - Math.min(...spread)).toBeLessThanOrEqual(1);
  });

  // Last: it empties the rules, which other test files share, whatever the tests before it left.
  it('refuses a rule without exactly one of a person or a role, or naming someone who cannot hold orders (400 naming the field), changing nothing', async () => {
    await setRules([]);
    const auditorId = (await t.auditor.get<Me>('/api/auth/me')).body.id;
    for (const [rules, field] of [
      [[{ above: 0, currency: 'JPY' }], 'rules[0].userId'],
      [[{ above: 0, currency: 'JPY', role: 'staff', userId: big.id }], 'rules[0].userId'],
      [
        [
          { above: 0, currency: 'JPY', role: 'staff' },
          { above: 0, currency: 'JPY', userId: auditorId },
        ],
        'rules[1].userId',
      ],
      [[{ above: 0, currency: 'JPY', userId: '00000000-0000-4000-8000-000000000000' }], 'rules[0].userId'],
      [[{ above: 0, currency: 'JPY', role: 'auditor' }], 'role'],
      [[{ above: -1, currency: 'JPY', role: 'staff' }], 'above'],
    ] as const) {
      const refused = await setRules(rules as unknown as Rule[]);
      expect([refused.status, refused.body.message]).toEqual([400, expect.stringContaining(field)]);
    }
    expect((await t.boss.get('/api/settings/assignment')).body).toEqual({ rules: [] });
    expect((await t.clerk.put('/api/settings/assignment', { rules: [] })).status).toBe(403);
    expect((await order(50)).assignee).toBeNull();
  });
});
