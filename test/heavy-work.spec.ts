import { seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder } from './support/orders';
import { startStack, type TestStack } from './support/stack';

/**
 * PDFs and history replays take a processor each while they run: an API process runs at most
 * OMS_HEAVY_WORK_CONCURRENCY of them at once and queues OMS_HEAVY_WORK_QUEUE more; anything beyond is answered
 * 503 with Retry-After at once, so one user asking again and again cannot pin the processors.
 */
describe('CPU-heavy requests', () => {
  let stack: TestStack;
  let staff: ApiClient;
  let auditor: ApiClient;
  let orderId: string;

  beforeAll(async () => {
    stack = await startStack({ env: { OMS_HEAVY_WORK_CONCURRENCY: '1', OMS_HEAVY_WORK_QUEUE: '1' } });
    staff = await stack.client(['staff'], 'heavy-clerk');
    auditor = await stack.client(['auditor'], 'heavy-auditor');
    const { customerId, skus } = await seedCatalogue(staff, [{ unitPrice: 1000, stockOnHand: 10 }]);
    orderId = (await placeOrder(staff, customerId, [{ sku: skus[0]!, quantity: 1 }])).id;
    expect((await staff.post(`/api/orders/${orderId}/approve`, {})).status).toBe(200);
  });
  afterAll(() => stack.close());

  /** Sends the same request `times` at once; answers each status, with Retry-After on a 503. */
  async function together(times: number, method: string, path: string, client: ApiClient) {
    const answers = await Promise.all(
      Array.from({ length: times }, () =>
        fetch(`${stack.baseUrl}${path}`, { method, headers: client.headers }).then(async (response) => ({
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          body:
            response.status === 503
              ? ((await response.json()) as { message: string })
              : await response.text(),
        })),
      ),
    );
    return answers;
  }

  it.each([
    ['PDF documents', 'GET', () => `/api/orders/${orderId}/packing-slip?format=pdf`],
    ['history replays', 'POST', () => `/api/orders/${orderId}/history/verify`],
  ])(
    'runs %s one at a time here, queues one more, and answers the rest 503 with Retry-After',
    async (_, method, path) => {
      const answers = await together(8, method, path(), auditor);
      const served = answers.filter((answer) => answer.status === 200);
      const busy = answers.filter((answer) => answer.status === 503);
      expect(served.length + busy.length).toBe(answers.length);
      expect(served.length).toBeGreaterThanOrEqual(2);
      expect(busy.length).toBeGreaterThan(0);
      for (const answer of busy) {
        expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(answer.body).toMatchObject({ message: expect.stringMatching(/busy/) });
      }
      // Once the others are done, the next one is served.
      expect((await together(1, method, path(), auditor))[0]!.status).toBe(200);
    },
  );

  it('leaves HTML documents, which cost little, unlimited', async () => {
    const answers = await together(8, 'GET', `/api/orders/${orderId}/packing-slip`, auditor);
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
  });
});
