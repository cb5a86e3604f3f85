import type { OrderSnapshot } from '../workflows/order.definitions';
import { messageData, renderMessage } from './notification.activities';
import { NOTIFICATION_KINDS } from './notification.templates';

/** A snapshot shaped exactly as the workflow produces it (a shipped, then cancelled-like order). */
const order: OrderSnapshot = {
  orderId: '7f0c2f7e-7a6b-4a8e-9b1f-2d3c4b5a6978',
  number: 'SO-2026-000123',
  customerId: 'c0ffee00-0000-4000-8000-000000000001',
  currency: 'CNY',
  lines: [
    { productId: 'p1', sku: 'TEA-001', name: 'Longjing', quantity: 2, unitPrice: 12990, lineTotal: 25980 },
    { productId: 'p2', sku: 'CUP-9', name: 'Cup', quantity: 1, unitPrice: 1500, lineTotal: 1500 },
  ],
  total: 27480,
  notes: null,
  requestHash: null,
  status: 'shipped',
  awaiting: 'delivery',
  awaitingSince: '2026-11-26T02:00:00.000Z',
  approvalRule: { version: 1, autoApproveBelow: 0, staffApprovalLimit: 1000000, currency: 'CNY' },
  approvals: [],
  approvedTotal: 27480,
  reserved: false,
  stockShortages: [],
  payment: { status: 'captured', amount: 27480, lastError: null },
  shipment: { carrier: 'SF Express', trackingNumber: 'SF1234567890', shippedAt: '2026-11-26T02:00:00.000Z' },
  cancellation: {
    by: { id: 'u', username: 'li', roles: ['staff'] },
    reason: '客户要求',
    at: '2026-11-26T02:00:00.000Z',
  },
  rejection: null,
  completedAt: null,
  version: 7,
  createdAt: '2026-11-26T01:00:00.000Z',
  updatedAt: '2026-11-26T02:00:00.000Z',
};

describe('notification templates', () => {
  it.each(
    NOTIFICATION_KINDS.flatMap((kind) =>
      (['zh-CN', 'en'] as const).map((language) => [kind, language] as const),
    ),
  )('%s renders in %s from real order data, with no blanks', (kind, language) => {
    const data = { ...messageData(order, language), waited: language === 'en' ? '4 hours' : '4 小时' };
    const message = renderMessage(kind, language, data);
    expect(message.subject).toContain('SO-2026-000123');
    expect(message.text).toContain('SO-2026-000123');
    expect(message.text).not.toMatch(/\{\{|undefined|null|NaN/);
    if (language === 'zh-CN') expect(message.subject).toMatch(/[\u4e00-\u9fff]/);
  });

  it('formats money from minor units in the reader’s language', () => {
    expect(messageData(order, 'en').order.amount).toBe('CN¥274.80');
    expect(messageData(order, 'zh-CN').order.amount).toBe('¥274.80');
    expect(messageData({ ...order, currency: 'JPY', total: 5000 }, 'en').order.amount).toBe('¥5,000');
  });

  it('fails loudly when a template variable is missing from the data', () => {
    expect(() => renderMessage('order.shipped', 'en', { order: { number: 'SO-1' } })).toThrow(/not defined/);
    expect(() => renderMessage('order.created', 'en', { order: { number: 'SO-1' } })).toThrow(
      /"amount" not defined/,
    );
  });
});
