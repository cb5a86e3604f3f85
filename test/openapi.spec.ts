import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ApiClient } from './support/http';
import { ResponseContract } from './support/openapi-check';
import { startStack, type TestStack } from './support/stack';
import { scratchDir } from './support/scratch';

interface Operation {
  operationId: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, Record<string, string>> };
}

/** The operations the contract opens to everyone; every other one needs a sign-in. */
const PUBLIC = [
  'GET /health',
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
  'GET /q/{token}',
  'GET /track/{token}',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'POST /api/auth/session',
  'POST /q/{token}/accept',
  'POST /q/{token}/decline',
  // The customer's return request through the tracking link (the signed token is the key).
  'POST /track/{token}',
  'POST /track/{token}/returns',
];

function operationsOf(document: Document) {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      path,
      operation,
    })),
  );
}

/** A URL for the operation: path parameters filled with an id that names nothing. */
function urlOf(path: string): string {
  return path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
}

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

  it('says how to sign in: `security: []` on exactly the public operations, bearer or session cookie on the rest', async () => {
    const document = (await api.get<Document>('/api/docs-json')).body;
    expect(document.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'oms_session' }),
      csrf: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-csrf-token' }),
    });
    const operations = operationsOf(document);
    expect(
      operations
        .filter(({ operation }) => operation.security?.length === 0)
        .map(({ key }) => key)
        .sort(),
    ).toEqual(PUBLIC);
    for (const { key, method, operation } of operations.filter(({ key }) => !PUBLIC.includes(key))) {
      const session = method === 'GET' ? { session: [] } : { session: [], csrf: [] };
      expect([key, operation.security]).toEqual([key, [{ bearer: [] }, session]]);
    }
  });

  it('answers 401 without credentials on every protected operation, and never on a public one', async () => {
    const document = (await api.get<Document>('/api/docs-json')).body;
    // Eight at a time, as a client would: all two hundred at once, at load 12, once had a connection reset
    // (a keep-alive socket closed as it was reused); a failed call names its operation.
    const pending = operationsOf(document);
    const answers: (readonly [string, boolean])[] = [];
    const ask = async ({ key, method, path }: (typeof pending)[number]) => {
      const response = await fetch(`${stack.baseUrl}${urlOf(path)}`, {
        method,
        headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : '{}',
      }).catch((error: unknown) => {
        throw new Error(`${key}: ${String(error)}`, { cause: error });
      });
      await response.body?.cancel();
      answers.push([key, response.status === 401]);
    };
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let next = pending.shift(); next; next = pending.shift()) await ask(next);
      }),
    );
    answers.sort(([a], [b]) => a.localeCompare(b));
    expect(answers.filter(([, refused]) => refused).map(([key]) => key)).toEqual(
      answers.map(([key]) => key).filter((key) => !PUBLIC.includes(key)),
    );
  });

  it('names each operation as a verb on its resource, with a summary and a tag', async () => {
    const document = (await api.get<Document>('/api/docs-json')).body;
    const operations = operationsOf(document);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { key, operation } of operations) {
      expect([key, operation.operationId]).toEqual([key, expect.stringMatching(/^[a-z]+(?:[A-Z][a-z]*)+$/)]);
      expect([key, operation.operationId]).not.toEqual([key, expect.stringMatching(/Controller/)]);
      expect([key, operation.summary?.length]).toEqual([key, expect.any(Number)]);
      expect([key, operation.tags?.length]).toEqual([key, 1]);
    }
    expect(ids).toEqual(
      expect.arrayContaining(['listOrders', 'getOrder', 'createOrder', 'approveOrder', 'getOrderHistory']),
    );
  });

  it('gives every error its one body shape, and writes nulls the OpenAPI 3.1 way', async () => {
    const document = (await api.get<Document>('/api/docs-json')).body;
    expect(document.openapi).toBe('3.1.0');
    expect(JSON.stringify(document)).not.toContain('"nullable"');
    for (const { key, operation } of operationsOf(document)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400 || response.content?.['text/html'] || key.startsWith('GET /health'))
          continue;
        expect([key, status, response.content]).toEqual([
          key,
          status,
          { 'application/json': { schema: { $ref: '#/components/schemas/ErrorDto' } } },
        ]);
      }
    }
    const order = document.components.schemas.OrderDto as { properties: Record<string, unknown> };
    expect(order.properties.awaiting).toEqual(
      expect.objectContaining({ type: ['string', 'null'], enum: expect.arrayContaining(['approval', null]) }),
    );
    expect(order.properties.shipment).toEqual({
      anyOf: [{ $ref: '#/components/schemas/ShipmentDto' }, { type: 'null' }],
    });
  });

  it('lists the real media type of each answer that is not JSON', async () => {
    const document = (await api.get<Document>('/api/docs-json')).body;
    const types = (path: string) => Object.keys(document.paths[path]!.get!.responses['200']!.content ?? {});
    expect(types('/api/reports/sales')).toEqual(['application/json', 'text/csv']);
    expect(types('/api/orders/{id}/invoice')).toEqual(['text/html', 'application/pdf']);
    expect(types('/api/events')).toEqual(['text/event-stream']);
    expect(types('/track/{token}')).toEqual(['text/html']);
    expect(types('/metrics')).toEqual(['text/plain']);
  });

  it('lists the optional Idempotency-Key of order creation once', async () => {
    const document = (await api.get<Document>('/api/docs-json')).body;
    const headers = document.paths['/api/orders']!.post!.parameters!.filter(
      ({ in: where }) => where === 'header',
    );
    expect(headers).toEqual([expect.objectContaining({ name: 'Idempotency-Key', required: false })]);
  });

  it('refuses a JSON body that is not an object with a 400, on every operation that takes a body', async () => {
    const document = (await api.get<Document>('/api/docs-json')).body;
    const admin = await stack.client(['admin'], 'admin');
    const writes = operationsOf(document).filter(({ method }) => ['POST', 'PUT', 'PATCH'].includes(method));
    expect(writes.length).toBeGreaterThan(20);
    for (const { key, method, path } of writes) {
      for (const body of ['[]', '"x"', '1', 'null', '[{"reason": "x"}]']) {
        const response = await admin.call(method, urlOf(path), body);
        expect([key, body, response.status, response.body]).toEqual([
          key,
          body,
          400,
          expect.objectContaining({ statusCode: 400, message: 'the request body must be a JSON object' }),
        ]);
      }
    }
  });

  it('finds an answer that carries a field the document does not name', async () => {
    // Every integration spec's fetch checks answers (jest's setupFilesAfterEnv); this is the check it runs.
    expect((fetch as { checked?: boolean }).checked).toBe(true);
    const document = (await api.get<Document>('/api/docs-json')).body;
    const contract = new ResponseContract(document);
    const me = await api.get<Record<string, unknown>>('/api/auth/me');
    const type = me.headers.get('content-type');
    expect(contract.problem('GET', '/api/auth/me', 200, type, JSON.stringify(me.body))).toBeNull();
    expect(
      contract.problem('GET', '/api/auth/me', 200, type, JSON.stringify({ ...me.body, secret: 'x' })),
    ).toMatch(/does not match the document's schema: \(body\) must NOT have additional properties: secret/);
    expect(contract.problem('GET', '/api/auth/me', 418, type, JSON.stringify(me.body))).toMatch(
      /getCurrentUser answered 418, which the document does not list/,
    );
    expect(contract.problem('GET', '/api/auth/me', 200, 'text/csv', 'a,b')).toMatch(/as text\/csv/);
  });

  it('is the document the build writes for the console and the linter, without a database', async () => {
    // Both come from the same decorators; they differ when a property's type is left to reflection, which
    // the compiler and the test transform may emit differently (a union or an alias: give it enum or type).
    const root = path.join(__dirname, '..');
    const file = path.join(scratchDir('oms-openapi-'), 'openapi.json');
    // Not execFileSync: the API answers from this process and must go on answering meanwhile.
    await promisify(execFile)(process.execPath, [path.join(root, 'dist/scripts/openapi-document.js'), file], {
      cwd: root,
    });
    const served = (await api.get<Document>('/api/docs-json')).body;
    expect(served).toEqual(JSON.parse(readFileSync(file, 'utf8')));
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
