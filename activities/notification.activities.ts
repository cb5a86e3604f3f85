/**
 * Planning notifications: who hears of an occurrence and by which channel. Each message gets a dedup key;
 * the inbox messages are written at once, and the e-mails and webhook calls go into the outbox (rows in
 * PostgreSQL, one statement), which the delivery worker sends apart from the orders: an order never waits
 * for a mail server or a receiver.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { isRole, type Role } from '../db/entities';
import {
  AssignmentRepository,
  CustomerRepository,
  DelegationRepository,
  DeliveryRepository,
  IntegrationEventRepository,
  NotificationRepository,
  NotificationSettingsRepository,
  OrderRepository,
  ReturnAssignmentRepository,
  WebhookRepository,
  eventIdOf,
  type DeliveryPolicy,
  type NewDelivery,
  type Recipient,
} from '../db/repositories';
import { orderEvent } from '../domain/cloud-events';
import { handOver, peopleOnOrder, responsibleStaff, wantsEmailNow } from '../domain/delivery.rules';
import { isCustomerKind, type NotificationKind } from '../domain/notifications';
import type { OrderSnapshot } from '../domain/order';
import type { Language } from '../domain/people';
import type { ReturnSnapshot } from '../domain/return';
import type { ReturnWaitStage } from '../domain/waiting';
import type { MessageTemplate } from './notification.templates';
import {
  formatWait,
  messageData,
  renderMessage,
  returnMessageData,
  type MailNotice,
} from './notification.render';

export interface NotificationActivityDeps {
  em: () => EntityManager;
  /** Whether an SMTP server is configured (OMS_SMTP_URL); without one, nobody is e-mailed. */
  email: boolean;
  /** The link to an order's tracking page that customers' e-mails carry; null leaves it out. */
  trackingLink: ((orderId: string) => string) | null;
  /** Attempts and retry wait each planned delivery keeps (OMS_DELIVERY_ATTEMPTS, OMS_DELIVERY_RETRY_MS). */
  deliveryPolicy: DeliveryPolicy;
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
  /**
   * Tells only whoever holds the order (their delegate while one is in force), and nothing at all when
   * nobody does: the reminder an assignee gets before the policy's levels. The notice's `notify` names whom
   * it reached (empty when nobody), so the workflow knows whether anyone was reminded.
   */
  toHolder?: boolean;
  /** The customer's e-mail that joined the order (`order.message`). */
  mail?: MailNotice;
}

/** Which occurrence was announced, to whom and why: kept in the history's record of the step. */
export interface Notice {
  kind: NotificationKind;
  occurrence: string;
  notify: string[] | null;
  waitedMs: number | null;
  escalation: NotifyInput['escalation'] | null;
  problem: OrderSnapshot['problem'] | null;
}

export interface NotifyResult {
  /**
   * What was announced. A local activity's input is not kept in the history, so the order's audit trail
   * reads the notice from the result.
   */
  notice: Notice;
  inbox: number;
  /** E-mails and webhook calls this run put into the outbox (none when a retried run had done it). */
  outbound: number;
}

/** The data of the event machine clients receive: what happened, and the order as it is now. */
function eventData(input: NotifyInput, occurrence: string) {
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
      // What a CRM or shop finds its own record by, and each parcel (an order may leave in several).
      source: order.source ?? 'console',
      externalRef: order.externalRef ?? null,
      shipments: (order.shipments ?? []).map(({ id, lines, carrier, trackingNumber, shippedAt }) => ({
        id,
        lines: lines.map(({ sku, quantity }) => ({ sku, quantity })),
        carrier,
        trackingNumber,
        shippedAt,
      })),
    },
    ...(input.waitedMs !== undefined ? { waitedMs: input.waitedMs } : {}),
    ...(input.escalation ? { escalation: input.escalation } : {}),
  };
}

/** What the history keeps of an occurrence; `notify` is who was named (for `toHolder`, whom it reached). */
function noticeOf(input: NotifyInput, occurrence: string, holder: string[] | null): Notice {
  return {
    kind: input.kind,
    occurrence,
    notify: holder ?? input.notify ?? null,
    waitedMs: input.waitedMs ?? null,
    escalation: input.escalation ?? null,
    problem: input.kind === 'order.problem' ? (input.order.problem ?? null) : null,
  };
}

/**
 * Who hears of something addressed to `roles` and `usernames`: whoever holds the order or return
 * (`holder`) instead of the other members of their roles, and for someone away their delegate while the
 * delegation is in force.
 */
async function responsibleFor(
  em: EntityManager,
  roles: Role[],
  usernames: string[],
  holder: string | null,
): Promise<{ responsible: Recipient[]; assignee: Recipient | null; delegates: Map<string, Recipient> }> {
  const notifications = new NotificationRepository(em);
  const [assignee = null] = holder ? await notifications.recipients([], [holder]) : [];
  const members = await notifications.recipients(roles, usernames);
  const held = responsibleStaff(members, roles, usernames, assignee);
  const away = await new DelegationRepository(em).inForce(held.map((recipient) => recipient.username));
  const stand = await notifications.recipients([], [...new Set(away.values())]);
  const delegates = new Map(
    [...away].flatMap(([username, delegate]) => {
      const recipient = stand.find((candidate) => candidate.username === delegate);
      return recipient ? [[username, recipient] as const] : [];
    }),
  );
  return { responsible: handOver(held, delegates), assignee, delegates };
}

type KeyOf = (recipient: string, channel: string) => string;

/** The outbox row of one e-mail of an occurrence. */
function emailOf(
  keyOf: KeyOf,
  orderId: string,
  kind: NotificationKind,
  recipient: string,
  address: string,
  message: MessageTemplate,
): NewDelivery {
  return {
    dedupKey: keyOf(recipient, 'email'),
    orderId,
    kind,
    channel: 'email',
    recipient,
    address,
    subject: message.subject,
    textBody: message.text,
    htmlBody: message.html,
  };
}

/**
 * Records the event machine clients receive in the stream they may poll, and answers a webhook call of it for
 * every webhook of the kind; its id is the same in both and across retries of the step.
 */
async function publish(
  em: EntityManager,
  occurrence: { kind: NotificationKind; orderId: string; occurrence: string; time: string; keyOf: KeyOf },
  data: object,
): Promise<NewDelivery[]> {
  const { kind, orderId, keyOf } = occurrence;
  const eventKey = `${orderId}:${kind}:${occurrence.occurrence}`;
  const event = orderEvent({ id: eventIdOf(eventKey), type: kind, orderId, time: occurrence.time, data });
  await new IntegrationEventRepository(em).record(eventKey, event);
  return (await new WebhookRepository(em).activeFor(kind)).map((webhook) => ({
    dedupKey: keyOf(`webhook:${webhook.id}`, 'webhook'),
    orderId,
    kind,
    channel: 'webhook',
    recipient: `webhook:${webhook.id}`,
    address: webhook.url,
    payload: event,
    webhookId: webhook.id,
  }));
}

/** Notification activities: rendering and planning happen here, sending in the delivery worker. */
export function createNotificationActivities(deps: NotificationActivityDeps) {
  return {
    /**
     * Tells everyone who should hear of this occurrence: the staff of the kind's roles (or the escalation's
     * roles and users) in their inbox, and by e-mail those who chose it (`all`, or `assigned` when the
     * occurrence concerns them personally: a reminder naming them, an order they approved, rejected or
     * cancelled); the customer by e-mail for confirmation, shipment and completion; and every webhook
     * registered for the kind. Each message has a dedup key (order, kind, occurrence, recipient, channel)
     * under a unique index, so a retried run delivers nothing twice. E-mails and webhook calls are only
     * written to the outbox here: a receiver that is down never holds up the order.
     */
    async notifyOrder(input: NotifyInput): Promise<NotifyResult> {
      const { kind, order } = input;
      const em = deps.em();
      const occurrence = input.occurrence ?? `v${order.version}`;
      const keyOf = (recipient: string, channel: string) =>
        `${order.orderId}:${kind}:${occurrence}:${recipient}:${channel}`;

      const holder = (await new AssignmentRepository(em).of([order.orderId])).get(order.orderId);
      if (input.toHolder && !holder) {
        return { notice: noticeOf(input, occurrence, []), inbox: 0, outbound: 0 };
      }
      const setting = input.toHolder
        ? { roles: [], usernames: [holder!.username], customer: false }
        : input.notify
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
      const { responsible, assignee, delegates } = await responsibleFor(
        em,
        setting.roles,
        setting.usernames,
        holder?.username ?? null,
      );
      const reached = responsible.map((recipient) => recipient.username);
      if (input.toHolder && reached.length === 0) {
        return { notice: noticeOf(input, occurrence, []), inbox: 0, outbound: 0 };
      }
      const staff = responsible.map((recipient) => ({
        recipient,
        message: renderMessage(
          kind,
          recipient.language,
          messageData(order, recipient.language, { waitedMs: input.waitedMs, mail: input.mail }),
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
      const email = (recipient: string, address: string, message: MessageTemplate) =>
        emailOf(keyOf, order.orderId, kind, recipient, address, message);
      if (deps.email) {
        // Who this occurrence concerns personally: named by the reminder, holding the order, or having acted on it.
        const personal = new Set([
          ...setting.usernames,
          ...peopleOnOrder(order),
          ...(assignee ? [assignee.username] : []),
        ]);
        for (const [username, delegate] of delegates)
          if (personal.has(username)) personal.add(delegate.username);
        for (const { recipient, message } of staff) {
          if (
            recipient.email &&
            wantsEmailNow(recipient.emailNotifications, personal.has(recipient.username))
          )
            outbound.push(email(`user:${recipient.username}`, recipient.email, message));
        }
        if (setting.customer && isCustomerKind(kind)) {
          const customer = await new CustomerRepository(em).findById(order.customerId);
          if (customer) {
            const data = {
              ...messageData(order, customer.language, { customerName: customer.name }),
              // The customer's own tracking page, without signing in (absent when no link is configured).
              ...(deps.trackingLink ? { trackingUrl: deps.trackingLink(order.orderId) } : {}),
            };
            const message = renderMessage(kind, customer.language, data, 'customer');
            outbound.push(email(`customer:${customer.id}`, customer.email, message));
          }
        }
      }
      outbound.push(
        ...(await publish(
          em,
          { kind, orderId: order.orderId, occurrence, time: order.updatedAt, keyOf },
          eventData(input, occurrence),
        )),
      );
      const planned = await new DeliveryRepository(em).plan(outbound, deps.deliveryPolicy);
      const notice = noticeOf(input, occurrence, input.toHolder ? reached : null);
      return { notice, inbox, outbound: planned };
    },

    /**
     * Tells of a return's change (`return.updated`): the order's customer by e-mail in their language (when
     * the kind's setting says so, the default), the staff of the kind's roles in their inbox (none by
     * default; the return's holder instead of the other members of their roles), and machine clients as a
     * CloudEvent (webhooks and the polled stream), the return with it. One message per recipient and change
     * (dedup keys carry the return's version), so a retried run sends nothing twice.
     */
    async notifyReturn({
      snapshot: ret,
    }: {
      snapshot: ReturnSnapshot;
    }): Promise<{ inbox: number; outbound: number }> {
      const em = deps.em();
      const kind = 'return.updated';
      const occurrence = `return:${ret.returnId}:v${ret.version}`;
      const keyOf = (recipient: string, channel: string) =>
        `${ret.orderId}:${kind}:${occurrence}:${recipient}:${channel}`;
      const setting = {
        roles: [],
        usernames: [],
        customer: false,
        ...(await new NotificationSettingsRepository(em).find(kind)),
      };
      const order = (await new OrderRepository(em).findById(ret.orderId))?.snapshot;
      if (!order) return { inbox: 0, outbound: 0 };
      const holder = (await new ReturnAssignmentRepository(em).of([ret.returnId])).get(ret.returnId);
      const { responsible } = await responsibleFor(
        em,
        setting.roles,
        setting.usernames,
        holder?.username ?? null,
      );
      const inbox = await new NotificationRepository(em).deliver(
        responsible.map((recipient) => {
          const message = renderMessage(
            kind,
            recipient.language,
            returnMessageData(ret, order, recipient.language),
          );
          return {
            recipientId: recipient.id,
            kind,
            orderId: ret.orderId,
            title: message.subject,
            body: message.text,
            dedupKey: keyOf(recipient.id, 'inbox'),
          };
        }),
      );
      const outbound: NewDelivery[] = [];
      if (deps.email && setting.customer) {
        const customer = await new CustomerRepository(em).findById(order.customerId);
        if (customer) {
          const message = renderMessage(
            kind,
            customer.language,
            {
              ...returnMessageData(ret, order, customer.language, { customerName: customer.name }),
              ...(deps.trackingLink ? { trackingUrl: deps.trackingLink(order.orderId) } : {}),
            },
            'customer',
          );
          outbound.push(
            emailOf(keyOf, ret.orderId, kind, `customer:${customer.id}`, customer.email, message),
          );
        }
      }
      outbound.push(
        ...(await publish(
          em,
          { kind, orderId: ret.orderId, occurrence, time: ret.updatedAt, keyOf },
          {
            event: kind,
            occurrence,
            occurredAt: ret.updatedAt,
            order: {
              id: order.orderId,
              number: order.number,
              status: order.status,
              awaiting: order.awaiting,
              customerId: order.customerId,
              total: order.total,
              currency: order.currency,
            },
            return: {
              id: ret.returnId,
              number: ret.number,
              status: ret.status,
              resolution: ret.resolution,
              reason: ret.reason,
              lines: ret.lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })),
              received: ret.received.map(({ sku, quantity, condition }) => ({ sku, quantity, condition })),
              refundedAmount: ret.refundedAmount,
              currency: ret.currency,
            },
          },
        )),
      );
      return { inbox, outbound: await new DeliveryRepository(em).plan(outbound, deps.deliveryPolicy) };
    },

    /**
     * Reminds the people responsible for a return that waits too long (escalation stage `return`): the
     * policy level's roles and users, whoever holds the return instead of the other members of their roles,
     * delegates for those away; in the inbox (e-mail is not sent for returns yet). One message per
     * recipient and occurrence (dedup key), so a retried run delivers nothing twice. Answers whom it reached.
     */
    async notifyReturnEscalated(input: ReturnReminderInput): Promise<{ notified: string[]; inbox: number }> {
      const { snapshot: ret } = input;
      const em = deps.em();
      const roles = input.notify.filter(isRole);
      const usernames = input.notify.filter((name) => !isRole(name));
      const holder = (await new ReturnAssignmentRepository(em).of([ret.returnId])).get(ret.returnId);
      const notifications = new NotificationRepository(em);
      const { responsible } = await responsibleFor(em, roles, usernames, holder?.username ?? null);
      const order = await new OrderRepository(em).findById(ret.orderId);
      const kind = 'return.escalated';
      const inbox = await notifications.deliver(
        responsible.map((recipient) => {
          const orderNumber = order?.snapshot.number ?? ret.orderId;
          const message = renderMessage(kind, recipient.language, {
            // The e-mail layout names the order.
            order: { number: orderNumber },
            ret: {
              number: ret.number,
              orderNumber,
              awaitingText: RETURN_WAIT_TEXT[recipient.language][input.stage],
            },
            waited: formatWait(input.waitedMs, recipient.language),
          });
          return {
            recipientId: recipient.id,
            kind,
            orderId: ret.orderId,
            title: message.subject,
            body: message.text,
            dedupKey: `${ret.orderId}:${kind}:return:${ret.returnId}:${input.occurrence}:${recipient.id}:inbox`,
          };
        }),
      );
      return { notified: responsible.map((recipient) => recipient.username), inbox };
    },
  };
}

/** A reminder of a return's wait, from its workflow. */
export interface ReturnReminderInput {
  snapshot: ReturnSnapshot;
  /** The return's wait: for approval, for its units, or for its refund. */
  stage: ReturnWaitStage;
  notify: string[];
  /** The wait, the level and its repetition: part of the dedup key. */
  occurrence: string;
  waitedMs: number;
}

const RETURN_WAIT_TEXT: Record<Language, Record<ReturnReminderInput['stage'], string>> = {
  'zh-CN': { approval: '审批', receipt: '收货', refund: '退款' },
  en: { approval: 'approval', receipt: 'the units to arrive', refund: 'the refund' },
};
