import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import Handlebars from 'handlebars';
import { isRole } from '../db/entities';
import {
  CustomerRepository,
  DeliveryRepository,
  NotificationRepository,
  NotificationSettingsRepository,
  WebhookRepository,
  type NewDelivery,
} from '../db/repositories';
import {
  DELIVERY_WORKFLOW,
  deliveryStart,
  isCustomerKind,
  type DeliveryStatus,
  type Language,
  type NotificationKind,
} from '../workflows/notification.definitions';
import type { Awaiting, OrderSnapshot } from '../workflows/order.definitions';
import { WebhookCallError, postWebhook, type Mailer } from './delivery.transports';
import {
  CUSTOMER_TEMPLATES,
  HTML_LAYOUT,
  STAFF_TEMPLATES,
  type Audience,
  type MessageTemplate,
} from './notification.templates';

export interface NotificationActivityDeps {
  em: () => EntityManager;
  /** Starts the workflow that sends each e-mail or webhook call. */
  client: Client;
  /** Null when no SMTP server is configured: then nobody is e-mailed. */
  mailer: Mailer | null;
  delivery: { attempts: number; retryIntervalMs: number };
  /** Internal hosts webhooks may reach nonetheless (OMS_WEBHOOK_ALLOWED_HOSTS). */
  webhookAllowedHosts: readonly string[];
}

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
function render(source: string, data: object, escape: boolean): string {
  const key = `${escape ? 'html' : 'text'}:${source}`;
  let template = compiled.get(key);
  if (!template) {
    template = Handlebars.compile(source, { strict: true, noEscape: !escape });
    compiled.set(key, template);
  }
  return template(data);
}

/** A wait's length for people: "2 hours 5 minutes", "2 小时 5 分钟"; seconds only under a minute. */
export function formatWait(ms: number, language: Language): string {
  const units: [number, string, string][] = [
    [86_400_000, '天', 'day'],
    [3_600_000, '小时', 'hour'],
    [60_000, '分钟', 'minute'],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, ms);
  for (const [size, zh, en] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0)
      parts.push(language === 'en' ? `${count} ${en}${count === 1 ? '' : 's'}` : `${count} ${zh}`);
  }
  if (parts.length === 0) {
    const seconds = Math.floor(rest / 1000);
    parts.push(language === 'en' ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${seconds} 秒`);
  }
  return parts.join(language === 'en' ? ' ' : ' ');
}

/** The variables every template may use, in the reader's language. */
export function messageData(
  order: OrderSnapshot,
  language: Language,
  extra: { customerName?: string | undefined; waitedMs?: number | undefined } = {},
) {
  const amount = new Intl.NumberFormat(language, { style: 'currency', currency: order.currency });
  const digits = amount.resolvedOptions().maximumFractionDigits ?? 2;
  const money = (minor: number) => amount.format(minor / 10 ** digits);
  return {
    order: {
      number: order.number,
      amount: money(order.total),
      lineCount: order.lines.length,
      awaitingText: order.awaiting ? AWAITING_TEXT[language][order.awaiting] : '',
    },
    lines: order.lines.map((line) => ({
      name: line.name,
      sku: line.sku,
      quantity: line.quantity,
      lineTotal: money(line.lineTotal),
    })),
    shipment: order.shipment,
    reason: order.cancellation?.reason ?? order.rejection?.reason ?? null,
    problem: order.problem ?? null,
    ...(extra.customerName !== undefined ? { customer: { name: extra.customerName } } : {}),
    ...(extra.waitedMs !== undefined ? { waited: formatWait(extra.waitedMs, language) } : {}),
  };
}

function templateFor(kind: NotificationKind, audience: Audience, language: Language): MessageTemplate {
  if (audience === 'customer') {
    if (!isCustomerKind(kind)) throw new Error(`customers are not told about ${kind}`);
    return CUSTOMER_TEMPLATES[kind][language];
  }
  return STAFF_TEMPLATES[kind][language];
}

/**
 * Renders one kind for one audience in one language: subject, plain text, and a whole HTML document in
 * which every value is escaped. Throws when the data lacks a variable the template uses.
 */
export function renderMessage(
  kind: NotificationKind,
  language: Language,
  data: object,
  audience: Audience = 'staff',
): MessageTemplate {
  const template = templateFor(kind, audience, language);
  const subject = render(template.subject, data, false);
  const content = render(template.html, data, true);
  return {
    subject,
    text: render(template.text, data, false),
    html: render(HTML_LAYOUT[language], { ...data, subject, content }, true),
  };
}

export interface NotifyInput {
  kind: NotificationKind;
  order: OrderSnapshot;
  /**
   * Which occurrence of the kind this is; part of every dedup key. Defaults to the snapshot version (a
   * status change happens once per version); escalations name their wait, level and repetition.
   */
  occurrence?: string;
  /** Roles or usernames to tell instead of the kind's recipient setting (escalations). */
  notify?: string[];
  /** How long the order has waited (escalations). */
  waitedMs?: number;
  /** Which reminder this is (escalations): the wait, the level (1 = first) and its repetition. */
  escalation?: { stage: string; level: number; repetition: number; policyVersion: number };
}

export interface NotifyResult {
  inbox: number;
  /** E-mails and webhook calls planned for this occurrence; each is sent by its own delivery workflow. */
  outbound: number;
}

/** The webhook body: what happened, and the order as it is now. */
function webhookPayload(input: NotifyInput, occurrence: string) {
  const { order } = input;
  return {
    event: input.kind,
    occurrence,
    occurredAt: order.updatedAt,
    order: {
      id: order.orderId,
      number: order.number,
      status: order.status,
      awaiting: order.awaiting,
      customerId: order.customerId,
      total: order.total,
      currency: order.currency,
      lines: order.lines.map(({ sku, name, quantity, unitPrice, lineTotal }) => ({
        sku,
        name,
        quantity,
        unitPrice,
        lineTotal,
      })),
      shipment: order.shipment,
    },
    ...(input.waitedMs !== undefined ? { waitedMs: input.waitedMs } : {}),
    ...(input.escalation ? { escalation: input.escalation } : {}),
  };
}

/** The error recorded on a delivery: the transports' own safe wording, never a raw network error. */
function errorText(error: unknown): string {
  if (error instanceof WebhookCallError || error instanceof ApplicationFailure) return error.message;
  return 'sending failed';
}

/** Notification activities: rendering and sending happen here, never in the workflow. */
export function createNotificationActivities(deps: NotificationActivityDeps) {
  /** Starts the sending workflow of each delivery; one already started (a retried activity) is left alone. */
  const dispatch = async (deliveryIds: string[]) => {
    for (const deliveryId of deliveryIds) {
      try {
        await deps.client.workflow.start(DELIVERY_WORKFLOW, {
          ...deliveryStart(deliveryId, deps.delivery.attempts, deps.delivery.retryIntervalMs),
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    }
  };

  return {
    /**
     * Tells everyone who should hear of this occurrence: the staff of the kind's roles (or the escalation's
     * roles and users) in their inbox and, with SMTP configured, by e-mail; the customer by e-mail for
     * confirmation, shipment and completion; and every webhook registered for the kind. Each message has a
     * dedup key (order, kind, occurrence, recipient, channel) under a unique index, so a retried run
     * delivers nothing twice. E-mails and webhook calls are sent by their own workflows, so a receiver that
     * keeps failing never holds up the order.
     */
    async notifyOrder(input: NotifyInput): Promise<NotifyResult> {
      const { kind, order } = input;
      const em = deps.em();
      const occurrence = input.occurrence ?? `v${order.version}`;
      const keyOf = (recipient: string, channel: string) =>
        `${order.orderId}:${kind}:${occurrence}:${recipient}:${channel}`;

      const setting = input.notify
        ? {
            roles: input.notify.filter(isRole),
            usernames: input.notify.filter((name) => !isRole(name)),
            customer: false,
          }
        : {
            roles: [],
            usernames: [],
            customer: false,
            ...(await new NotificationSettingsRepository(em).find(kind)),
          };
      const notifications = new NotificationRepository(em);
      // Each person's message is rendered once, in their language, for the inbox and the e-mail alike.
      const staff = (await notifications.recipients(setting.roles, setting.usernames)).map((recipient) => ({
        recipient,
        message: renderMessage(
          kind,
          recipient.language,
          messageData(order, recipient.language, { waitedMs: input.waitedMs }),
        ),
      }));

      const inbox = await notifications.deliver(
        staff.map(({ recipient, message }) => ({
          recipientId: recipient.id,
          kind,
          orderId: order.orderId,
          title: message.subject,
          body: message.text,
          dedupKey: keyOf(recipient.id, 'inbox'),
        })),
      );

      const outbound: NewDelivery[] = [];
      const email = (recipient: string, address: string, message: MessageTemplate): NewDelivery => ({
        dedupKey: keyOf(recipient, 'email'),
        orderId: order.orderId,
        kind,
        channel: 'email',
        recipient,
        address,
        subject: message.subject,
        textBody: message.text,
        htmlBody: message.html,
      });
      if (deps.mailer) {
        for (const { recipient, message } of staff) {
          if (recipient.email) outbound.push(email(`user:${recipient.username}`, recipient.email, message));
        }
        if (setting.customer && isCustomerKind(kind)) {
          const customer = await new CustomerRepository(em).findById(order.customerId);
          if (customer) {
            const data = messageData(order, customer.language, { customerName: customer.name });
            const message = renderMessage(kind, customer.language, data, 'customer');
            outbound.push(email(`customer:${customer.id}`, customer.email, message));
          }
        }
      }
      for (const webhook of await new WebhookRepository(em).activeFor(kind)) {
        outbound.push({
          dedupKey: keyOf(`webhook:${webhook.id}`, 'webhook'),
          orderId: order.orderId,
          kind,
          channel: 'webhook',
          recipient: `webhook:${webhook.id}`,
          address: webhook.url,
          payload: webhookPayload(input, occurrence),
          webhookId: webhook.id,
        });
      }
      const ids = await new DeliveryRepository(em).plan(outbound);
      await dispatch(ids);
      return { inbox, outbound: ids.length };
    },

    /**
     * One attempt at sending a planned e-mail or webhook call. Each attempt is recorded (`sending`, with the
     * attempt count) before anything leaves. An attempt that finds the previous one still `sending` knows it
     * died mid-send: a webhook call is made again (receivers deduplicate by `X-OMS-Delivery`), an e-mail is
     * not, because it may have reached the person already; it is marked `unconfirmed` for someone to check.
     */
    async sendDelivery({ deliveryId }: { deliveryId: string }): Promise<DeliveryStatus> {
      const deliveries = new DeliveryRepository(deps.em());
      const claim = await deliveries.claim(deliveryId);
      if (claim.state === 'settled') return claim.delivery.status;
      const { delivery } = claim;
      const settle = (status: 'retrying' | 'sent' | 'unconfirmed', error: string | null) =>
        deliveries.settle(deliveryId, delivery.attempts, status, error);
      if (claim.interrupted && delivery.channel === 'email') {
        await settle(
          'unconfirmed',
          'an earlier attempt stopped in the middle of sending; not sent again so that nobody receives it twice',
        );
        return 'unconfirmed';
      }
      try {
        if (delivery.channel === 'email') {
          if (!deps.mailer)
            throw ApplicationFailure.nonRetryable('no SMTP server is configured (OMS_SMTP_URL)');
          await deps.mailer.send({
            to: delivery.address,
            subject: delivery.subject ?? '',
            text: delivery.textBody ?? '',
            html: delivery.htmlBody ?? '',
            messageId: `<${delivery.id}@oms.local>`,
          });
        } else {
          const secret = delivery.webhookId
            ? await new WebhookRepository(deps.em()).secretOf(delivery.webhookId)
            : null;
          if (!secret) throw ApplicationFailure.nonRetryable('the webhook no longer exists');
          await postWebhook({
            url: delivery.address,
            secret,
            body: JSON.stringify(delivery.payload),
            deliveryId: delivery.id,
            kind: delivery.kind,
            allowedHosts: deps.webhookAllowedHosts,
          });
        }
      } catch (error) {
        await settle('retrying', errorText(error));
        throw error;
      }
      await settle('sent', null);
      return 'sent';
    },

    /** Marks a delivery failed for good once its attempts are used up, with the last error. */
    async giveUpDelivery({ deliveryId, error }: { deliveryId: string; error: string }): Promise<void> {
      await new DeliveryRepository(deps.em()).fail(deliveryId, error);
    },
  };
}
