/**
 * The message of each notification kind, in Simplified Chinese and English. Rendered with handlebars in
 * strict mode: a variable missing from the data is an error, never a blank in a message.
 */
export const NOTIFICATION_KINDS = [
  'order.created',
  'order.processing',
  'order.shipped',
  'order.completed',
  'order.cancelled',
  'order.rejected',
  'order.escalated',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type Language = 'zh-CN' | 'en';

export interface MessageTemplate {
  subject: string;
  text: string;
}

export const TEMPLATES: Record<NotificationKind, Record<Language, MessageTemplate>> = {
  'order.created': {
    'zh-CN': {
      subject: '新订单 {{order.number}}',
      text: '订单 {{order.number}} 已创建，金额 {{order.amount}}，共 {{order.lineCount}} 项，等待{{order.awaitingText}}。',
    },
    en: {
      subject: 'New order {{order.number}}',
      text: 'Order {{order.number}} was placed for {{order.amount}} and is awaiting {{order.awaitingText}}.',
    },
  },
  'order.processing': {
    'zh-CN': {
      subject: '订单 {{order.number}} 已批准，处理中',
      text: '订单 {{order.number}}（{{order.amount}}）已批准，正在备货和收款。',
    },
    en: {
      subject: 'Order {{order.number}} approved and in processing',
      text: 'Order {{order.number}} ({{order.amount}}) was approved; stock and payment are being handled.',
    },
  },
  'order.shipped': {
    'zh-CN': {
      subject: '订单 {{order.number}} 已发货',
      text: '订单 {{order.number}} 已由 {{shipment.carrier}} 发出，运单号 {{shipment.trackingNumber}}。',
    },
    en: {
      subject: 'Order {{order.number}} shipped',
      text: 'Order {{order.number}} left with {{shipment.carrier}}, tracking number {{shipment.trackingNumber}}.',
    },
  },
  'order.completed': {
    'zh-CN': {
      subject: '订单 {{order.number}} 已完成',
      text: '订单 {{order.number}}（{{order.amount}}）已送达并完成。',
    },
    en: {
      subject: 'Order {{order.number}} completed',
      text: 'Order {{order.number}} ({{order.amount}}) was delivered and is complete.',
    },
  },
  'order.cancelled': {
    'zh-CN': {
      subject: '订单 {{order.number}} 已取消',
      text: '订单 {{order.number}} 已取消，原因：{{reason}}。库存已释放，已收款项将退回。',
    },
    en: {
      subject: 'Order {{order.number}} cancelled',
      text: 'Order {{order.number}} was cancelled: {{reason}}. Reserved stock is released and any payment refunded.',
    },
  },
  'order.rejected': {
    'zh-CN': {
      subject: '订单 {{order.number}} 被拒绝',
      text: '订单 {{order.number}} 未获批准，原因：{{reason}}。',
    },
    en: {
      subject: 'Order {{order.number}} rejected',
      text: 'Order {{order.number}} was rejected: {{reason}}.',
    },
  },
  'order.escalated': {
    'zh-CN': {
      subject: '订单 {{order.number}} 等待过久',
      text: '订单 {{order.number}} 已等待{{order.awaitingText}} {{waited}}，请尽快处理。',
    },
    en: {
      subject: 'Order {{order.number}} is waiting too long',
      text: 'Order {{order.number}} has been awaiting {{order.awaitingText}} for {{waited}}; please act on it.',
    },
  },
};
