import { eventIdOf } from '../db/repositories/integration-event.repository';
import { webhookBody } from './delivery.dispatcher';

describe('the body of a webhook call', () => {
  const event = {
    specversion: '1.0',
    id: eventIdOf('o-1:order.shipped:v4'),
    source: '/api/orders',
    type: 'order.shipped',
    subject: 'o-1',
    time: '2026-12-05T01:00:00.000Z',
    datacontenttype: 'application/json',
    data: { event: 'order.shipped' },
  };

  it('is the CloudEvent the call was planned with', () => {
    expect(webhookBody({ id: 'd-1', kind: 'order.shipped', payload: event })).toBe(event);
  });

  it('wraps a call planned before CloudEvents under the delivery id, which its retries keep', () => {
    const legacy = { event: 'order.created', occurredAt: '2026-12-04T00:00:00.000Z', order: { id: 'o-2' } };
    expect(webhookBody({ id: 'd-2', kind: 'order.created', payload: legacy })).toEqual({
      specversion: '1.0',
      id: 'd-2',
      source: '/api/orders',
      type: 'order.created',
      subject: 'o-2',
      time: '2026-12-04T00:00:00.000Z',
      datacontenttype: 'application/json',
      data: legacy,
    });
  });
});

describe('event ids', () => {
  it('are UUIDs derived from the occurrence: the same for a retried step, different for another', () => {
    const id = eventIdOf('o-1:order.shipped:v4');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(eventIdOf('o-1:order.shipped:v4')).toBe(id);
    expect(eventIdOf('o-1:order.shipped:v5')).not.toBe(id);
  });
});
