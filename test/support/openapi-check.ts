/**
 * Every answer the API gives a test is checked against the OpenAPI document the same API publishes
 * (`/api/docs-json`): the status must be one the operation lists, the media type one it lists for that
 * status, and a JSON body must match its schema, where an object may carry no field the schema does not
 * name (the document leaves objects open so clients tolerate additions; the tests do not, so a field added
 * to an answer and not to the document fails the test that received it).
 *
 * `installResponseCheck()` (jest's setup for the integration tests) wraps `fetch`, so the shared client in
 * `http.ts` and every raw `fetch` a spec makes are checked alike; the browser specs check the console's
 * own API calls through `contractProblem`.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

interface MediaType {
  schema?: Json;
}
interface Response {
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId?: string;
  responses: Record<string, Response>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

/** Paths the API serves; anything else on its port (the console's files) is not its to describe. */
const API_PATHS = /^\/(api|health|metrics|track)(\/|$)/;
/** The description itself is not described. */
const UNDESCRIBED = /^\/api\/docs(-json|-yaml)?(\/|$)/;
const JSON_MEDIA = /^application\/(.+\+)?json$/;

/** Makes every object schema that names its properties refuse any other property. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const node = Object.fromEntries(
    Object.entries(schema as Json).map(([key, value]) => [
      key,
      // Values under these keys are data (examples, enum members, defaults), not schemas.
      ['example', 'examples', 'enum', 'const', 'default'].includes(key) ? value : closed(value),
    ]),
  );
  if (node.properties && node.additionalProperties === undefined) node.additionalProperties = false;
  if (typeof node.$ref === 'string') node.$ref = node.$ref.replace('#/components/schemas/', 'oms#/$defs/');
  return node;
}

/** One API's document, compiled for checking answers. */
export class ResponseContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: { method: string; pattern: RegExp; path: string; operation: Operation }[];

  constructor(document: Document) {
    addFormats(this.ajv);
    // OpenAPI's own formats: annotations, not constraints.
    for (const format of ['password', 'binary']) this.ajv.addFormat(format, true);
    this.ajv.addSchema({ $id: 'oms', $defs: closed(document.components.schemas) });
    this.routes = Object.entries(document.paths)
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({
          method: method.toUpperCase(),
          path,
          operation,
          // Express routes `/api/orders/` (a trailing slash) to `/api/orders` too.
          pattern: new RegExp(
            `^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`,
          ),
        })),
      )
      // A literal segment wins over a parameter (`/orders/bulk` before `/orders/{id}`).
      .sort((a, b) => (a.path.match(/\{/g) ?? []).length - (b.path.match(/\{/g) ?? []).length);
  }

  /**
   * What is wrong with an answer, or null when the document describes it. `body` is the text of the answer
   * (undefined when not read, e.g. an event stream).
   */
  problem(method: string, pathname: string, status: number, contentType: string | null, body?: string) {
    if (!API_PATHS.test(pathname) || UNDESCRIBED.test(pathname) || method === 'HEAD' || method === 'OPTIONS')
      return null;
    const route = this.routes.find(
      (candidate) => candidate.method === method && candidate.pattern.test(pathname),
    );
    const mediaType = contentType?.split(';')[0]!.trim().toLowerCase() ?? null;
    const hasBody = body === undefined ? mediaType !== null : body.length > 0;
    if (!route) {
      // A route the API does not have: answered like any error, with the error body.
      if (status < 400) return `answered ${status} on a route the document does not list`;
      return hasBody ? this.checkBody('ErrorDto', { $ref: 'oms#/$defs/ErrorDto' }, mediaType, body) : null;
    }
    const { operation } = route;
    const name = operation.operationId ?? `${method} ${route.path}`;
    const response =
      operation.responses[String(status)] ??
      operation.responses[`${String(status)[0]}XX`] ??
      operation.responses.default;
    if (!response) {
      return `${name} answered ${status}, which the document does not list (it lists ${Object.keys(operation.responses).join(', ')})`;
    }
    const content = response.content ?? {};
    if (!hasBody) return null;
    if (Object.keys(content).length === 0)
      return `${name} answered ${status} with a body the document does not describe`;
    if (!mediaType || !content[mediaType]) {
      return `${name} answered ${status} as ${mediaType ?? 'no media type'}; the document lists ${Object.keys(content).join(', ')}`;
    }
    const schema = content[mediaType].schema;
    if (!schema || !JSON_MEDIA.test(mediaType) || body === undefined) return null;
    return this.checkBody(`${name} ${status}`, closed(schema) as Json, mediaType, body);
  }

  private checkBody(
    key: string,
    schema: Json,
    mediaType: string | null,
    body: string | undefined,
  ): string | null {
    if (mediaType === null || !JSON_MEDIA.test(mediaType) || body === undefined) {
      return `${key}: the answer is ${mediaType ?? 'untyped'}, not the JSON error body`;
    }
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return `${key}: the body is not JSON although its media type says so`;
    }
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.validators.set(key, validate);
    }
    if (validate(value)) return null;
    const errors = (validate.errors ?? [])
      .slice(0, 6)
      .map(
        (error) =>
          `${error.instancePath || '(body)'} ${error.message ?? ''}${error.params && 'additionalProperty' in error.params ? `: ${String(error.params.additionalProperty)}` : ''}`,
      );
    return `${key}: the body does not match the document's schema: ${errors.join('; ')}`;
  }
}

const contracts = new Map<string, Promise<ResponseContract | null>>();

/** The contract of the API at this origin, or null when no API answers its description there. */
export function contractOf(origin: string, load: typeof fetch = fetch): Promise<ResponseContract | null> {
  let contract = contracts.get(origin);
  if (!contract) {
    contract = load(`${origin}/api/docs-json`).then(
      async (response) => {
        const document = response.ok ? ((await response.json()) as Partial<Document>) : null;
        return document?.openapi && document.paths ? new ResponseContract(document as Document) : null;
      },
      (error: unknown) => {
        // Not reachable now (a test stopped the API): ask again next time.
        contracts.delete(origin);
        throw error;
      },
    );
    contracts.set(origin, contract);
  }
  return contract;
}

/** What is wrong with an answer from `url`, or null; answers from elsewhere than a loopback API pass. */
export async function contractProblem(
  method: string,
  url: string,
  status: number,
  contentType: string | null,
  body: string | undefined,
  load: typeof fetch = fetch,
): Promise<string | null> {
  const parsed = new URL(url);
  if (!['127.0.0.1', 'localhost'].includes(parsed.hostname) || !API_PATHS.test(parsed.pathname)) return null;
  if (UNDESCRIBED.test(parsed.pathname)) return null;
  const contract = await contractOf(parsed.origin, load).catch(() => null);
  return contract?.problem(method.toUpperCase(), parsed.pathname, status, contentType, body) ?? null;
}

/** Thrown into the test whose request got an answer the document does not describe. */
export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

/**
 * Replaces `fetch` with one that checks every answer from the API under test against its document and
 * throws `ContractViolation` into the test that made the request.
 */
export function installResponseCheck(): void {
  const original = globalThis.fetch;
  if ((original as { checked?: boolean }).checked) return;
  const checked = async (input: string | URL | Request, init?: RequestInit): Promise<globalThis.Response> => {
    const response = await original(input, init);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const contentType = response.headers.get('content-type');
    const mediaType = contentType?.split(';')[0]!.trim();
    // An event stream never ends: its status and media type are checked, not its body.
    const body = mediaType === 'text/event-stream' ? undefined : await response.clone().text();
    const problem = await contractProblem(method, url, response.status, contentType, body, original);
    if (problem) throw new ContractViolation(`${method.toUpperCase()} ${url}: ${problem}`);
    return response;
  };
  globalThis.fetch = Object.assign(checked, { checked: true });
}
