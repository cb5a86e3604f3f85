import type { ApiClient } from './support/http';
import { startStack, type TestStack } from './support/stack';

/** The published OpenAPI document describes exactly the routes the application serves. */
describe('the OpenAPI document', () => {
  let stack: TestStack;
  let api: ApiClient;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    api = await stack.client();
  });
  afterAll(() => stack.close());

  it('is public, as the contract says: it describes the API, never data', async () => {
    for (const path of ['/api/docs', '/api/docs-json', '/api/docs-yaml']) {
      expect([path, (await fetch(`${stack.baseUrl}${path}`)).status]).toEqual([path, 200]);
    }
  });

  it('is served as JSON and as a browsable page under /api/docs', async () => {
    const page = await fetch(`${stack.baseUrl}/api/docs`, { headers: api.headers });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const document = await api.get<{ openapi: string }>('/api/docs-json');
    expect(document.status).toBe(200);
    expect(document.body.openapi).toMatch(/^3\./);
  });

  it('lists every route the router knows, and no other', async () => {
    const document = await api.get<{ paths: Record<string, Record<string, unknown>> }>('/api/docs-json');
    const documented = Object.entries(document.body.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const router = (stack.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } }).router.stack;
    const served = router
      // Nest's handlers bind one method each; the catch-all layers of the global prefix bind every method.
      .filter((layer) => layer.route && Object.keys(layer.route.methods).length === 1)
      .filter((layer) => !layer.route!.path.startsWith('/api/docs'))
      // NestJS 12 registers a controller's root route outside the global prefix (/health, /metrics) also
      // with a trailing slash: the same route (Express matches either for each anyway).
      .flatMap((layer) =>
        Object.keys(layer.route!.methods).map(
          (method) =>
            `${method.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1')}`,
        ),
      );
    expect(documented).toEqual(
      expect.arrayContaining(['POST /api/orders', 'POST /api/orders/{id}/approve', 'GET /health']),
    );
    expect(documented.sort()).toEqual([...new Set(served)].sort());
  });
});

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}
