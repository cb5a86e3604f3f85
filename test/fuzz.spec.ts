/**
 * Property-based tests over every endpoint of the OpenAPI document, as every role, with requests built
 * from each operation's own schema: valid ones (enums, formats, bounds as documented), and mutated ones with
 * hostile values: boundary and huge numbers, Unicode with NUL, unpaired surrogates, right-to-left text and
 * emoji, nulls, wrong types, extra and missing fields, huge arrays.
 * Properties: never a 5xx; never a status the operation does not list, and never a 2xx body off its schema
 * (every answer is checked against the document, `support/openapi-check.ts`); a 4xx changes no table the
 * API writes and starts no workflow; afterwards every order the run touched can still be cancelled (or has
 * already reached a state where it may not be).
 *
 * Every operation gets its share of the runs, each from its own seed. CI runs a bounded number of requests;
 * `OMS_FUZZ_RUNS=10000 npx jest test/fuzz` runs the long mode.
 */
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Role } from '../db/entities';
import { ContractViolation } from './support/openapi-check';
import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder } from './support/orders';
import { keepSettings } from './support/kept-settings';
import { startStack, type TestStack } from './support/stack';

const RUNS = Number(process.env.OMS_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.OMS_FUZZ_SEED ?? 20261126);

interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  nullable?: boolean;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: string; schema?: Schema }[];
  body: Schema | null;
}

interface Document {
  paths: Record<string, Record<string, { parameters?: Operation['parameters']; requestBody?: unknown }>>;
  components: { schemas: Record<string, Schema> };
}

/**
 * Left out: the event stream (its answer never ends), and the three operations that end the fuzzer's own
 * sessions (every request after them would be a 401; `test/sessions.spec.ts` covers them).
 */
const SKIPPED = new Set([
  'GET /api/events',
  'POST /api/auth/logout',
  'POST /api/auth/logout-all',
  'DELETE /api/users/{id}/sessions',
]);

const HOSTILE_TEXT = [
  '',
  ' ',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\u202eevil\u202c',
  'עברית مرحبا',
  '😀👍🏽 订单',
  'line\nbreak',
  'tab\there',
  '\u0007bell',
  '\u0085next',
  "'; drop table orders; --",
  '%_\\',
  '<img src=x onerror=alert(1)>',
  '=HYPERLINK("http://x")',
  '../../etc/passwd',
  'x'.repeat(5000),
];
const HOSTILE_NUMBERS = [0, -1, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e15, 1e300, 1.5, -0.5];

/** What a URL can carry: UTF-8 has no unpaired surrogates (they arrive as U+FFFD). */
function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function resolve(document: Document, schema: Schema | undefined): Schema {
  let current = schema ?? {};
  while (current.$ref) current = document.components.schemas[current.$ref.split('/').pop()!] ?? {};
  if (current.allOf?.length === 1) return resolve(document, current.allOf[0]);
  return current;
}

/** A request is valid (every value as documented) or mutated (hostile values anywhere, any shape). */
type Mode = 'valid' | 'mutated';

/** A value of the schema's shape; in a mutated request, a hostile one of any shape a fifth of the time. */
function valueOf(
  document: Document,
  raw: Schema | undefined,
  known: Known,
  mode: Mode,
  depth = 0,
): fc.Arbitrary<unknown> {
  const schema = resolve(document, raw);
  const hostile = fc.oneof(
    fc.constantFrom<unknown>(null, true, ...HOSTILE_NUMBERS, ...HOSTILE_TEXT, [], {}),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const type = types.find((candidate) => candidate !== 'null');
  let typed: fc.Arbitrary<unknown>;
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants)
    typed = fc.oneof(...variants.map((variant) => valueOf(document, variant, known, mode, depth)));
  else if (schema.enum) typed = fc.constantFrom(...schema.enum);
  else if (type === 'string' && schema.format === 'uuid') typed = fc.constantFrom(...known.ids());
  else if (type === 'string' && schema.format === 'date-time')
    typed = fc
      .date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') })
      .map((date) => date.toISOString());
  else if (type === 'string' && schema.format === 'email')
    typed = fc.stringMatching(/^[a-z]{1,12}$/).map((name) => `${name}@example.com`);
  else if (type === 'string' && mode === 'valid') {
    const minLength = schema.minLength ?? 1;
    const maxLength = Math.min(schema.maxLength ?? 30, 30);
    const fits = (text: string) => text.length >= minLength && text.length <= (schema.maxLength ?? Infinity);
    typed = fc.oneof(
      fc.constantFrom(
        ...[schema.example, ...known.words()].filter(
          (word): word is string => typeof word === 'string' && fits(word),
        ),
        'x'.repeat(minLength),
      ),
      fc
        .stringMatching(/^[A-Za-z0-9]+$/)
        .filter((text) => text.length >= minLength && text.length <= maxLength),
    );
  } else if (type === 'string')
    typed = fc.oneof(fc.constantFrom(...HOSTILE_TEXT, ...known.words()), fc.string({ maxLength: 30 }));
  else if ((type === 'integer' || type === 'number') && mode === 'valid')
    typed = fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 5000, 2 ** 31 - 1) });
  else if (type === 'integer' || type === 'number')
    typed = fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.integer({ min: -5, max: 5000 }));
  else if (type === 'boolean') typed = fc.boolean();
  else if (type === 'array')
    typed =
      depth > 3
        ? fc.constant([])
        : mode === 'valid'
          ? fc.array(valueOf(document, schema.items, known, mode, depth + 1), {
              minLength: schema.minItems ?? 0,
              maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)),
            })
          : fc.oneof(
              fc.array(valueOf(document, schema.items, known, mode, depth + 1), { maxLength: 4 }),
              fc.constant(Array.from({ length: 1000 }, () => 'x')),
            );
  else if (type === 'object' || schema.properties) typed = objectOf(document, schema, known, mode, depth);
  else typed = mode === 'valid' ? fc.constant({}) : hostile;
  if (types.includes('null'))
    typed = fc.oneof({ weight: 4, arbitrary: typed }, { weight: 1, arbitrary: fc.constant(null) });
  return mode === 'valid'
    ? typed
    : fc.oneof({ weight: 4, arbitrary: typed }, { weight: 1, arbitrary: hostile });
}

function objectOf(
  document: Document,
  schema: Schema,
  known: Known,
  mode: Mode,
  depth: number,
): fc.Arbitrary<unknown> {
  if (depth > 3) return fc.constant({});
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const fields = properties.map(([name, property]) =>
    fc
      .tuple(
        fc.constantFrom(
          ...(required.has(name)
            ? mode === 'valid'
              ? ['present']
              : ['present', 'present', 'present', 'missing']
            : ['present', 'missing']),
        ),
        valueOf(document, property, known, mode, depth + 1),
      )
      .map(([presence, value]) => (presence === 'present' ? ([name, value] as const) : null)),
  );
  const extra =
    mode === 'valid'
      ? fc.constant(null)
      : fc.option(fc.tuple(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })));
  return fc.tuple(fc.tuple(...fields), extra).map(([entries, added]) => {
    const object: Record<string, unknown> = {};
    for (const entry of entries) if (entry) object[entry[0]] = entry[1];
    if (added) object[added[0]] = added[1];
    return object;
  });
}

/** Ids and words the run knows, so that generated requests reach real rows as well as missing ones. */
interface Known {
  ids(): string[];
  words(): string[];
}

function operationsOf(document: Document): Operation[] {
  return Object.entries(document.paths).flatMap(([route, methods]) =>
    Object.entries(methods)
      .map(([method, operation]) => {
        const content = (
          operation.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined
        )?.content;
        return {
          method: method.toUpperCase(),
          path: route,
          parameters: operation.parameters ?? [],
          body: content?.['application/json']?.schema ?? null,
        };
      })
      .filter((operation) => !SKIPPED.has(`${operation.method} ${operation.path}`)),
  );
}

describe('every endpoint under generated hostile input', () => {
  let stack: TestStack;
  const clients = new Map<Role, ApiClient>();
  const orderIds = new Set<string>();
  const otherIds = new Set<string>();
  const words = ['admin', 'manager', 'staff', 'approval', 'shipment', 'order.created', 'CNY', 'PT1H'];
  const known: Known = {
    ids: () => [...orderIds, ...otherIds, '00000000-0000-4000-8000-000000000000'],
    words: () => words,
  };

  let putSettingsBack: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    stack = await startStack();
    putSettingsBack = await keepSettings(stack.orm);
    for (const role of ['admin', 'manager', 'staff', 'auditor'] as const) {
      clients.set(
        role,
        await stack.client(
          role === 'admin' ? ['admin'] : [role],
          role === 'admin' ? 'admin' : `fuzz-${role}`,
        ),
      );
    }
    const staff = clients.get('staff')!;
    const { customerId, skus } = await seedCatalogue(staff, [{ unitPrice: 100 }, { unitPrice: 5_000_000 }]);
    otherIds.add(customerId);
    words.push(...skus);
    for (const lines of [[{ sku: skus[0]!, quantity: 1 }], [{ sku: skus[1]!, quantity: 3 }]]) {
      orderIds.add((await placeOrder(staff, customerId, lines)).id);
    }
    const users = await clients.get('admin')!.get<{ items: { id: string }[] }>('/api/users');
    for (const user of users.body.items) otherIds.add(user.id);
  }, 120_000);
  afterAll(async () => {
    await putSettingsBack?.();
    await stack.close();
  });

  /** Counts and checksums of the tables the API itself writes (workflows write the others later). */
  async function apiTables(): Promise<string> {
    const connection = stack.orm.em.fork().getConnection();
    const queries = {
      customers: 'select * from customers',
      products: 'select id, sku, name, unit_price, currency, stock_on_hand from products',
      users: 'select id, username, display_name, email, roles, language, disabled, token_version from users',
      webhooks: 'select * from webhooks',
      audit_log: 'select * from audit_log',
      approval_settings: 'select * from approval_settings',
      escalation_policies: 'select * from escalation_policies',
      work_calendar: 'select * from work_calendar',
      notification_recipients: 'select * from notification_recipients',
      feedback: 'select * from feedback',
      seller_settings: 'select * from seller_settings',
    };
    const parts = await Promise.all(
      Object.entries(queries).map(async ([table, query]) => {
        const [row] = await connection.execute<{ n: number; sum: string | null }[]>(
          `select count(*)::int as n, md5(string_agg(t::text, '|' order by t::text)) as sum from (${query}) t`,
        );
        return `${table}=${row!.n}:${row!.sum}`;
      }),
    );
    return parts.join(' ');
  }

  const workflowCount = async () =>
    (await stack.temporal.workflow.count('WorkflowType="orderWorkflow"')).count;

  it('answers no 5xx, writes nothing on a 4xx, and leaves every order it touched cancellable', async () => {
    const document = (await clients.get('admin')!.get<Document>('/api/docs-json')).body;
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(40);
    const statuses: Record<string, number> = {};
    let requests = 0;
    let writtenOn4xx = 0;
    let offDocument = 0;
    const modes: Record<Mode, number> = { valid: 0, mutated: 0 };

    const requestFor = (operation: Operation) =>
      fc
        .tuple(
          fc.constantFrom<Mode>('valid', 'mutated'),
          fc.constantFrom<Role>('admin', 'manager', 'staff', 'auditor'),
        )
        .chain(([mode, role]) =>
          fc.record({
            operation: fc.constant(operation),
            mode: fc.constant(mode),
            role: fc.constant(role),
            params: fc.tuple(
              ...operation.parameters.map((parameter) =>
                (parameter.in === 'path'
                  ? fc.oneof(
                      { weight: 3, arbitrary: fc.constantFrom(...known.ids()) },
                      {
                        weight: 1,
                        // An empty segment addresses another route (`/track/` is not `/track/{token}`).
                        arbitrary: valueOf(document, parameter.schema, known, mode).filter(
                          (value) => value !== '',
                        ),
                      },
                    )
                  : fc.option(valueOf(document, parameter.schema, known, mode))
                ).map((value) => [parameter, value] as const),
              ),
            ),
            body: operation.body ? valueOf(document, operation.body, known, mode) : fc.constant(undefined),
          }),
        );

    const property = (operation: Operation) =>
      fc.asyncProperty(requestFor(operation), async ({ mode, role, params, body }) => {
        let url = operation.path;
        const query = new URLSearchParams();
        for (const [parameter, value] of params) {
          if (value === null || value === undefined) continue;
          const text = typeof value === 'string' ? value : JSON.stringify(value);
          if (parameter.in === 'path')
            url = url.replace(`{${parameter.name}}`, encodeURIComponent(wellFormed(text)));
          else if (parameter.in === 'query') query.set(parameter.name, wellFormed(text));
        }
        url = url.replace(/\{[^}]+\}/g, 'missing');
        const target = query.size ? `${url}?${query.toString()}` : url;
        const isCreate = operation.method === 'POST' && operation.path === '/api/orders';
        const before = await apiTables();
        const workflowsBefore = isCreate ? await workflowCount() : 0;
        modes[mode]++;
        let response: Awaited<ReturnType<ApiClient['call']>>;
        try {
          response = await clients.get(role)!.call(operation.method, target, body);
        } catch (error) {
          // An undocumented status, media type or a body off its schema (support/openapi-check.ts).
          if (error instanceof ContractViolation) offDocument++;
          throw error;
        }
        requests++;
        const key = `${operation.method} ${operation.path} ${response.status}`;
        statuses[key] = (statuses[key] ?? 0) + 1;
        if (response.status >= 500) {
          throw new Error(
            `${operation.method} ${target} as ${role} answered ${response.status}: ${JSON.stringify(response.body)}`,
          );
        }
        const answer = response.body as Record<string, unknown> | null;
        if (response.status < 300 && typeof answer?.id === 'string') {
          (answer.number ? orderIds : otherIds).add(answer.id);
        }
        if (response.status >= 400) {
          const after = await apiTables();
          const workflowsAfter = isCreate ? await workflowCount() : 0;
          if (after !== before || workflowsAfter !== workflowsBefore) {
            writtenOn4xx++;
            throw new Error(`${operation.method} ${target} as ${role} answered ${response.status} but wrote`);
          }
        }
      });

    // Every operation its share of the runs, each from its own seed (reproducible one by one).
    const runsEach = Math.max(4, Math.ceil(RUNS / operations.length));
    for (const [index, operation] of operations.entries()) {
      await fc.assert(property(operation), { numRuns: runsEach, seed: SEED + index, endOnFailure: true });
    }

    // Every order touched can still be cancelled, unless it already shipped or ended.
    const admin = clients.get('admin')!;
    for (const id of orderIds) {
      const cancel = await admin.post<{ status: string }>(`/api/orders/${id}/cancel`, {
        reason: 'fuzz run over',
      });
      expect([200, 409]).toContain(cancel.status);
      const order = await eventually(
        () => admin.get<{ status: string }>(`/api/orders/${id}`),
        (response) => ['cancelled', 'shipped', 'completed', 'rejected'].includes(response.body.status),
      );
      expect(['cancelled', 'shipped', 'completed', 'rejected']).toContain(order.body.status);
    }

    const summary = { requests, modes, orders: orderIds.size, writtenOn4xx, offDocument, statuses };
    const folder = path.join(__dirname, '..', 'test-artifacts');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'fuzz-summary.json'), JSON.stringify(summary, null, 2));
    const byClass = Object.entries(statuses).reduce<Record<string, number>>((counts, [key, count]) => {
      const status = `${key.split(' ').pop()![0]}xx`;
      counts[status] = (counts[status] ?? 0) + count;
      return counts;
    }, {});
    console.log(
      `fuzz: ${requests} requests (${modes.valid} valid, ${modes.mutated} mutated) over ${operations.length} operations, ` +
        `${JSON.stringify(byClass)}, ${orderIds.size} orders, ${writtenOn4xx} written on 4xx, ${offDocument} off the document`,
    );
  }, 3_600_000);
});
