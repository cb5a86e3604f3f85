/**
 * The customer hears of their return's progress (`return.updated`): requested, approved, received, refunded,
 * or rejected with the reason, by e-mail in their language, once per change; machine clients get the same
 * changes as CloudEvents. Against the real worker, API, PostgreSQL, Temporal and an SMTP receiver.
 */
import { Worker } from '@temporalio/worker';
import { returnWorkflowId } from '../workflows/return.definitions';
import { eventually, seedCatalogue } from './support/fixtures';
import type { ApiClient } from './support/http';
import { placeOrder } from './support/orders';
import { startSmtpReceiver, type SmtpReceiver } from './support/receivers';
import { ownTaskQueue, startStack, type TestStack } from './support/stack';

type Return = { id: string; number: string; status: string };
type Page = {
  items: { type: string; data: { return?: { id: string; status: string; refundedAmount: number | null } } }[];
};

describe('return notices to the customer', () => {
  let smtp: SmtpReceiver;
  let stack: TestStack;
  let clerk: ApiClient;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    stack = await startStack({ env: { ...ownTaskQueue('return-notice'), OMS_SMTP_URL: smtp.url } });
    clerk = await stack.client(['staff'], 'return-notice-clerk');
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
  });

  /** An order of 5 units at 10.00 for a customer writing in `language`, shipped. */
  async function shippedOrder(language: 'en' | 'zh-CN') {
    const { customerId, skus } = await seedCatalogue(clerk, [{ unitPrice: 1000, stockOnHand: 10 }]);
    expect((await clerk.patch(`/api/customers/${customerId}`, { language })).status).toBe(200);
    const customer = (await clerk.get<{ email: string }>(`/api/customers/${customerId}`)).body;
    const sku = skus[0]!;
    const order = await placeOrder(clerk, customerId, [{ sku, quantity: 5 }]);
    expect((await clerk.post(`/api/orders/${order.id}/approve`, {})).status).toBe(200);
    const shipment = await clerk.post(`/api/orders/${order.id}/shipments`, {
      lines: [{ sku, quantity: 5 }],
      carrier: 'SF',
      trackingNumber: `SF-${order.number}`,
    });
    expect(shipment.status).toBe(201);
    return { order, sku, email: customer.email };
  }

  const mailsAbout = (email: string, number: string) =>
    smtp.messages.filter((mail) => mail.to === email && mail.subject.includes(number));

  it('e-mails the customer each step of a refund, in their language, once each', async () => {
    const { order, sku, email } = await shippedOrder('en');
    // Other files share the database: read the event stream from its end as it is now.
    const [last] = await stack.orm.em
      .fork()
      .getConnection()
      .execute<{ id: string }[]>('select id from integration_events order by position desc limit 1');
    const since = last?.id;
    const requested = await clerk.post<Return>(`/api/orders/${order.id}/returns`, {
      lines: [{ sku, quantity: 2 }],
      reason: 'Too small',
      resolution: 'refund',
    });
    expect(requested.status).toBe(201);
    const { id, number } = requested.body;
    await clerk.post(`/api/returns/${id}/approve`, {});
    await clerk.post(`/api/returns/${id}/receive`, {
      lines: [{ sku, quantity: 2, condition: 'resellable' }],
    });
    expect((await clerk.post<Return>(`/api/returns/${id}/refund`, {})).body.status).toBe('refunded');

    const mails = await eventually(
      () => Promise.resolve(mailsAbout(email, number)),
      (found) => found.length >= 4,
      30_000,
    );
    expect(mails.map((mail) => mail.subject)).toEqual([
      `Your return ${number}: we have received your request and will write again once it is reviewed`,
      `Your return ${number}: approved: please send the units back to us`,
      `Your return ${number}: we have received the units and are dealing with them`,
      `Your return ${number}: we have refunded you`,
    ]);
    expect(mails[3]!.text).toContain(`order ${order.number}`);
    expect(mails[3]!.text).toMatch(/Amount refunded: (CN)?¥20\.00/);
    // Closing is the staff's bookkeeping: no mail; and nothing was sent twice.
    await clerk.post(`/api/returns/${id}/close`, {});
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(mailsAbout(email, number)).toHaveLength(4);

    // Machine clients read the same changes, the return with them.
    const auditor = await stack.client(['auditor'], 'return-notice-auditor');
    const items: Page['items'] = [];
    for (let after = since; ;) {
      const page = await auditor.get<Page & { next: string | null }>(
        `/api/integration/events?limit=500${after ? `&after=${after}` : ''}`,
      );
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      if (page.body.items.length < 500 || !page.body.next) break;
      after = page.body.next;
    }
    const changes = items.filter((event) => event.type === 'return.updated' && event.data.return?.id === id);
    expect(changes.map((event) => event.data.return!.status)).toEqual([
      'requested',
      'approved',
      'received',
      'refunded',
    ]);
    expect(changes[3]!.data.return!.refundedAmount).toBe(2000);

    const handle = stack.temporal.workflow.getHandle(returnWorkflowId(id));
    await handle.result();
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: process.env.OMS_TEST_WORKFLOW_BUNDLE! } },
      await handle.fetchHistory(),
    );
  });

  it('tells a Chinese customer why their return was rejected', async () => {
    const { order, sku, email } = await shippedOrder('zh-CN');
    const requested = await clerk.post<Return>(`/api/orders/${order.id}/returns`, {
      lines: [{ sku, quantity: 1 }],
      reason: '不喜欢',
      resolution: 'refund',
    });
    const { id, number } = requested.body;
    await clerk.post(`/api/returns/${id}/reject`, { reason: '商品已拆封使用' });
    const mails = await eventually(
      () => Promise.resolve(mailsAbout(email, number)),
      (found) => found.length >= 2,
      30_000,
    );
    expect(mails[1]!.subject).toBe(`您的退货单 ${number}：很抱歉，未获批准`);
    expect(mails[1]!.text).toContain('原因：商品已拆封使用');
    expect(mails[1]!.text).toContain(`您订单 ${order.number} 的退货单 ${number}`);
  });
});
