import { randomUUID } from 'node:crypto';
import { useStack } from './support/stack';

describe('feedback', () => {
  const t = useStack(
    { staff: [['staff']], auditor: [['auditor']], manager: [['manager']] },
    { worker: false },
  );

  type Feedback = {
    id: string;
    message: string;
    rating: number | null;
    author: { username: string };
    handledAt: string | null;
    createdAt: string;
  };

  it('takes a message from anyone signed in, with an optional 1–5 rating, and shows who wrote it', async () => {
    const message = `发票抬头能否显示英文名称？ ${randomUUID()}`;
    const created = await t.auditor.post<Feedback>('/api/feedback', { message, rating: 4 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      message,
      rating: 4,
      author: { username: 'auditor-user' },
      handledAt: null,
    });
  });

  it('refuses a bad rating, an empty message and an unknown order, naming the field', async () => {
    for (const [body, field] of [
      [{ message: 'x', rating: 6 }, 'rating'],
      [{ message: 'x', rating: 2.5 }, 'rating'],
      [{ message: '' }, 'message'],
      [{ message: 'x', orderId: randomUUID() }, 'orderId'],
      [{ message: 'x', orderId: 'not-a-uuid' }, 'orderId'],
    ] as const) {
      const response = await t.staff.post<{ message: string }>('/api/feedback', body);
      expect([field, response.status]).toEqual([field, 400]);
      expect(response.body.message).toContain(field);
    }
  });

  it('lets managers filter it and mark it handled once, audited', async () => {
    const created = await t.staff.post<Feedback>('/api/feedback', {
      message: `slow label printing ${randomUUID()}`,
      rating: 1,
    });
    const open = await t.manager.get<{ items: Feedback[] }>('/api/feedback?handled=false&rating=1&limit=500');
    expect(open.body.items.map((f) => f.id)).toContain(created.body.id);
    const handled = await t.manager.post<Feedback>(`/api/feedback/${created.body.id}/handled`);
    expect(handled.status).toBe(200);
    expect(handled.body.handledAt).not.toBeNull();
    const again = await t.manager.post<Feedback>(`/api/feedback/${created.body.id}/handled`);
    expect(again.body.handledAt).toBe(handled.body.handledAt);
    const audit = await t.manager.get<{ items: { action: string }[] }>(
      `/api/audit?entity=feedback&entityId=${created.body.id}`,
    );
    expect(audit.body.items.map((entry) => entry.action)).toEqual(['feedback.handled']);
    const stillOpen = await t.manager.get<{ items: Feedback[] }>('/api/feedback?handled=false&limit=500');
    expect(stillOpen.body.items.map((f) => f.id)).not.toContain(created.body.id);
    expect((await t.manager.post(`/api/feedback/${randomUUID()}/handled`)).status).toBe(404);
    expect((await t.manager.get('/api/feedback?handled=maybe')).status).toBe(400);
  });

  it('pages newest first, each entry once, also when several share a millisecond', async () => {
    const tag = randomUUID();
    // Sent at once, so that some are stored in the same millisecond and the id decides their order.
    const created = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        t.staff.post<Feedback>('/api/feedback', { message: `${tag} ${i}`, rating: 3 }),
      ),
    );
    const ids = new Set(created.map((response) => response.body.id));
    const seen: Feedback[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Feedback[]; nextCursor: string | null } } = await t.manager.get(
        `/api/feedback?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const ours = seen.filter((entry) => ids.has(entry.id));
    expect(ours).toHaveLength(7);
    expect(new Set(seen.map((entry) => entry.id)).size).toBe(seen.length);
    const keys = seen.map((entry) => [Date.parse(entry.createdAt), entry.id] as const);
    const sorted = [...keys].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : -1));
    expect(keys).toEqual(sorted);
  });
});
