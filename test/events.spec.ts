import { seedCatalogue } from './support/fixtures';
import { placeOrder } from './support/orders';
import { useStack } from './support/stack';

describe('GET /api/events', () => {
  const t = useStack({ api: [['staff']] });

  it('streams every change of status and awaiting as server-sent events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${t.stack.baseUrl}/api/events`, {
      signal: controller.signal,
      headers: t.api.headers,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    type Event = { orderId: string; status: string; awaiting: string | null };
    const events: Event[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk);
        for (const line of buffer.split('\n'))
          if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as Event);
        buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
      }
    })().catch(() => undefined);

    const { customerId, skus } = await seedCatalogue(t.api);
    const order = await placeOrder(t.api, customerId, [{ sku: skus[0]!, quantity: 1 }]);
    await t.api.post(`/api/orders/${order.id}/approve`, {});
    await t.api.post(`/api/orders/${order.id}/ship`, { carrier: 'SF', trackingNumber: '1' });
    await t.api.post(`/api/orders/${order.id}/complete`, {});
    const deadline = Date.now() + 5000;
    while (!events.some((e) => e.orderId === order.id && e.status === 'completed') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    controller.abort();
    await reading;
    const mine = events
      .filter((event) => event.orderId === order.id)
      .map((e) => `${e.status}/${e.awaiting ?? '-'}`);
    expect(mine).toEqual([
      'created/approval',
      'processing/stock',
      'processing/payment',
      'processing/shipment',
      'shipped/delivery',
      'completed/-',
    ]);
  });
});
