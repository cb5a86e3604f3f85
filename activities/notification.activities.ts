import type { EntityManager } from '@mikro-orm/postgresql';
import Handlebars from 'handlebars';
import type { Role } from '../db/entities';
import { NotificationRepository } from '../db/repositories';
import type { Awaiting, OrderSnapshot } from '../workflows/order.definitions';
import {
  TEMPLATES,
  type Language,
  type MessageTemplate,
  type NotificationKind,
} from './notification.templates';

export interface NotificationActivityDeps {
  em: () => EntityManager;
}

/** Who hears of each kind in the in-app inbox, by role. (A manager setting in a later step.) */
export const RECIPIENT_ROLES: Record<NotificationKind, Role[]> = {
  'order.created': ['staff', 'manager'],
  'order.processing': ['staff'],
  'order.shipped': ['staff'],
  'order.completed': ['staff', 'manager'],
  'order.cancelled': ['staff', 'manager'],
  'order.rejected': ['staff', 'manager'],
  'order.escalated': ['manager'],
};

const AWAITING_TEXT: Record<Language, Record<Awaiting, string>> = {
  'zh-CN': {
    approval: '审批',
    manager_approval: '经理审批',
    stock: '库存',
    payment: '付款',
    shipment: '发货',
    delivery: '签收',
  },
  en: {
    approval: 'approval',
    manager_approval: 'manager approval',
    stock: 'stock',
    payment: 'payment',
    shipment: 'shipment',
    delivery: 'delivery',
  },
};

const compiled = new Map<string, HandlebarsTemplateDelegate>();
function render(source: string, data: object): string {
  let template = compiled.get(source);
  if (!template) {
    template = Handlebars.compile(source, { strict: true, noEscape: true });
    compiled.set(source, template);
  }
  return template(data);
}

/** The variables every template may use, in the reader's language. */
export function messageData(order: OrderSnapshot, language: Language) {
  const amount = new Intl.NumberFormat(language, { style: 'currency', currency: order.currency });
  const digits = amount.resolvedOptions().maximumFractionDigits ?? 2;
  return {
    order: {
      number: order.number,
      amount: amount.format(order.total / 10 ** digits),
      lineCount: order.lines.length,
      awaitingText: order.awaiting ? AWAITING_TEXT[language][order.awaiting] : '',
    },
    shipment: order.shipment,
    reason: order.cancellation?.reason ?? order.rejection?.reason ?? null,
  };
}

/** Renders one kind in one language; throws when the data lacks a variable the template uses. */
export function renderMessage(kind: NotificationKind, language: Language, data: object): MessageTemplate {
  const template = TEMPLATES[kind][language];
  return { subject: render(template.subject, data), text: render(template.text, data) };
}

export interface NotifyInput {
  kind: NotificationKind;
  order: OrderSnapshot;
}

/** Notification activities: rendering happens here, never in the workflow. */
export function createNotificationActivities(deps: NotificationActivityDeps) {
  return {
    /**
     * Puts a message about the order into the inbox of everyone who should hear of this kind. The dedup key
     * (order, kind, occurrence = snapshot version, recipient, channel) makes a retried run deliver nothing twice.
     */
    async notifyOrder({ kind, order }: NotifyInput): Promise<number> {
      const notifications = new NotificationRepository(deps.em());
      const recipients = await notifications.recipientsWithRoles(RECIPIENT_ROLES[kind]);
      return notifications.deliver(
        recipients.map((recipient) => {
          const message = renderMessage(kind, recipient.language, messageData(order, recipient.language));
          return {
            recipientId: recipient.id,
            kind,
            orderId: order.orderId,
            title: message.subject,
            body: message.text,
            dedupKey: `${order.orderId}:${kind}:v${order.version}:${recipient.id}:inbox`,
          };
        }),
      );
    },
  };
}
