import { useStack } from './support/stack';

/** Saved board filters (`/api/views`, issue 26): each person's own, by name. */
type View = { id: string; name: string; filters: Record<string, unknown>; createdAt: string };
type Refusal = { statusCode: number; message: string; field?: string };

describe('saved views of the board', () => {
  const t = useStack({
    ling: [['staff'], 'views-ling'],
    ming: [['staff'], 'views-ming'],
    audit: [['auditor'], 'views-auditor'],
  });

  it('keeps a person’s filters by name, and lists them by name', async () => {
    const big = await t.ling.post<View>('/api/views', {
      name: 'Big ones waiting',
      filters: { status: 'created', awaiting: 'approval', minTotal: 100_000 },
    });
    expect(big.status).toBe(201);
    expect(big.body).toMatchObject({
      id: expect.any(String),
      name: 'Big ones waiting',
      filters: { status: 'created', awaiting: 'approval', minTotal: 100_000 },
    });
    expect(Object.keys(big.body.filters).sort()).toEqual(['awaiting', 'minTotal', 'status']);
    await t.ling.post('/api/views', { name: 'Abandoned', filters: { q: 'urgent' } });
    const mine = await t.ling.get<{ items: View[] }>('/api/views');
    expect(mine.body.items.map((view) => view.name)).toEqual(['Abandoned', 'Big ones waiting']);
  });

  it('keeps views private: another person neither lists nor deletes them, and may use the same name', async () => {
    const view = (
      await t.ling.post<View>('/api/views', { name: 'Mine alone', filters: { status: 'shipped' } })
    ).body;
    expect((await t.ming.get<{ items: View[] }>('/api/views')).body.items.map((v) => v.id)).not.toContain(
      view.id,
    );
    expect((await t.ming.call('DELETE', `/api/views/${view.id}`)).status).toBe(404);
    expect((await t.ming.post('/api/views', { name: 'Mine alone', filters: {} })).status).toBe(201);
    expect((await t.ling.get<{ items: View[] }>('/api/views')).body.items.map((v) => v.id)).toContain(
      view.id,
    );
    expect((await t.ling.call('DELETE', `/api/views/${view.id}`)).status).toBe(204);
    expect((await t.ling.get<{ items: View[] }>('/api/views')).body.items.map((v) => v.id)).not.toContain(
      view.id,
    );
    expect((await t.ling.call('DELETE', `/api/views/${view.id}`)).status).toBe(404);
  });

  it('refuses a second view of the same name (409), unknown or wrong filters (400), and saves nothing then', async () => {
    await t.audit.post('/api/views', { name: 'Once', filters: {} });
    const twice = await t.audit.post<Refusal>('/api/views', { name: 'Once', filters: { status: 'created' } });
    expect(twice.status).toBe(409);
    expect(twice.body.field).toBe('name');
    for (const [body, field] of [
      [{ name: 'Bad', filters: { status: 'lost' } }, 'status'],
      [{ name: 'Bad', filters: { colour: 'red' } }, 'colour'],
      [{ name: 'Bad', filters: { minTotal: -1 } }, 'minTotal'],
      [{ name: '', filters: {} }, 'name'],
      [{ name: 'Bad' }, 'filters'],
    ] as const) {
      const refused = await t.audit.post<Refusal>('/api/views', body);
      expect([refused.status, refused.body.message]).toEqual([400, expect.stringContaining(field)]);
    }
    const names = (await t.audit.get<{ items: View[] }>('/api/views')).body.items.map((view) => view.name);
    expect(names).toEqual(['Once']);
  });
});
