import type { EntityManager } from '@mikro-orm/postgresql';
import {
  deliveryIdsAnswered,
  messageIdOf,
  orderNumbersIn,
  type InboundSuggestion,
} from '../../domain/inbound-mail';
import { ORDER_MESSAGE_KIND } from '../../domain/notifications';
import type { Actor } from '../../domain/order';
import { isUuid } from './ids';
import { arrayLiteral, sqlOf, type Sql } from './sql';

/**
 * An attachment as listed: what it was, whether its bytes are kept (in `mail_attachments`, downloadable by
 * its position in the list) or why they were refused.
 */
export interface AttachmentInfo {
  name: string;
  size: number;
  /** The type it is served with when kept; as the e-mail declared it otherwise. */
  type: string;
  kept: boolean;
  refused?: string;
}

/** A kept attachment's bytes, by its position in the message's `attachments`. */
export interface AttachmentBytes {
  n: number;
  bytes: Buffer;
}

/** A kept attachment, to be downloaded or read as an order draft. */
export interface StoredAttachment {
  name: string;
  type: string;
  bytes: Buffer;
}

/** Listed attachments as stored (rows from before the bytes were kept have no `kept`). */
const listed = (attachments: readonly Partial<AttachmentInfo>[]): AttachmentInfo[] =>
  attachments.map((a) => ({
    name: a.name ?? 'attachment',
    size: a.size ?? 0,
    type: a.type ?? 'application/octet-stream',
    kept: a.kept === true,
    ...(a.refused ? { refused: a.refused } : {}),
  }));

/** A message read from a mailbox, reduced to what is kept (text only, attachments as metadata). */
export interface IncomingMail {
  mailbox: string;
  uidValidity: number;
  uid: number;
  /** The Message-ID header; null when the message had none. */
  messageId: string | null;
  fromAddress: string;
  fromName: string | null;
  toAddress: string;
  subject: string;
  text: string;
  inReplyTo: string | null;
  references: string[];
  automatic: boolean;
  authentication: string | null;
  attachments: AttachmentInfo[];
  /** The bytes of the attachments kept (those listed with `kept: true`). */
  files: AttachmentBytes[];
  suggestion: InboundSuggestion;
  /** Why the message could not be read as it was (too large, malformed): shown to staff. */
  problem: string | null;
  size: number;
  at: Date;
}

/** Where a stored message went. */
export interface Stored {
  id: string;
  /** False when this message was stored before (the same UID, or the same Message-ID from another mailbox). */
  created: boolean;
  orderId: string | null;
  /** Written by a machine, or over its sender's hourly limit: announced to nobody. */
  automatic: boolean;
}

/** One message of an order's conversation. */
export interface ConversationMessage {
  id: string;
  direction: 'in' | 'out';
  from: string;
  to: string;
  subject: string;
  text: string;
  at: string;
  attachments: AttachmentInfo[];
  automatic: boolean;
  authentication: string | null;
}

/** An incoming message nobody has matched or filed yet. */
export interface InboundItem {
  id: string;
  from: string;
  subject: string;
  text: string;
  at: string;
  customerId?: string;
  suggestion: InboundSuggestion;
  problem: string | null;
  authentication: string | null;
  attachments: AttachmentInfo[];
}

/** A mailbox as its reader last saw it. */
export interface MailboxState {
  key: string;
  state: 'unknown' | 'ok' | 'down';
  lastError: string | null;
  checkedAt: string | null;
  taken: number;
}

/** The mailbox's reading position, for the reader holding its lease. */
export interface MailboxPosition {
  uidValidity: number | null;
  lastUid: number;
}

type SqlTime = Date | string;
const iso = (value: SqlTime): string => new Date(value).toISOString();

interface MessageRow {
  id: string;
  direction: 'in' | 'out';
  from_address: string;
  from_name: string | null;
  to_address: string;
  subject: string;
  text: string;
  at: SqlTime;
  attachments: Partial<AttachmentInfo>[];
  automatic: boolean;
  authentication: string | null;
  customer_id: string | null;
  suggestion: InboundSuggestion;
  problem: string | null;
  status: string;
  order_id: string | null;
  message_id: string | null;
  references: string[];
}

const fromOf = (row: MessageRow) =>
  row.from_name ? `${row.from_name} <${row.from_address}>` : row.from_address;

/**
 * Mail in and out of the product (docs/inbound-mail.md): the readers' positions in their mailboxes, each
 * message stored once, its order found, and the lists staff work from.
 */
export class InboundRepository {
  private readonly sql: Sql;

  constructor(private readonly em: EntityManager) {
    this.sql = sqlOf(em);
  }

  /**
   * Takes (or renews) the mailbox for this reader for `leaseMs`: null while another reader's lease runs.
   * Answers where reading stands.
   */
  async takeMailbox(key: string, owner: string, leaseMs: number): Promise<MailboxPosition | null> {
    const rows = await this.sql<{ uid_validity: string | null; last_uid: string }[]>(
      `insert into inbound_mailboxes (key, lease_owner, lease_until)
       values (?, ?, now() + ? * interval '1 millisecond')
       on conflict (key) do update set lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
        where inbound_mailboxes.lease_owner = excluded.lease_owner
           or inbound_mailboxes.lease_owner is null
           or inbound_mailboxes.lease_until < now()
       returning uid_validity, last_uid`,
      [key, owner, leaseMs],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      uidValidity: row.uid_validity === null ? null : Number(row.uid_validity),
      lastUid: Number(row.last_uid),
    };
  }

  /** Gives the mailbox up, so another reader may take it at once (a reader stopping). */
  async releaseMailbox(key: string, owner: string): Promise<void> {
    await this.sql(
      `update inbound_mailboxes set lease_owner = null, lease_until = null where key = ? and lease_owner = ?`,
      [key, owner],
    );
  }

  /**
   * Records where reading stands: a new UIDVALIDITY starts the UIDs afresh (messages seen before are still
   * recognised by their Message-ID). Only while this reader holds the mailbox.
   */
  async advance(
    key: string,
    owner: string,
    uidValidity: number,
    lastUid: number,
    taken: number,
  ): Promise<void> {
    await this.sql(
      `update inbound_mailboxes
          set uid_validity = ?, last_uid = case when uid_validity is distinct from ? then ? else greatest(last_uid, ?) end,
              taken = taken + ?, state = 'ok', last_error = null, failures = 0, checked_at = now()
        where key = ? and lease_owner = ?`,
      [uidValidity, uidValidity, lastUid, lastUid, taken, key, owner],
    );
  }

  /** Records a failed look at the mailbox; answers how many failed in a row. */
  async failed(key: string, owner: string, error: string): Promise<number> {
    const rows = await this.sql<{ failures: number }[]>(
      `update inbound_mailboxes set state = 'down', last_error = ?, failures = failures + 1, checked_at = now()
        where key = ? and lease_owner = ? returning failures`,
      [error.slice(0, 500), key, owner],
    );
    return rows[0]?.failures ?? 1;
  }

  /** Every mailbox read so far, for /health. */
  async mailboxes(): Promise<MailboxState[]> {
    const rows = await this.sql<
      {
        key: string;
        state: MailboxState['state'];
        last_error: string | null;
        checked_at: SqlTime | null;
        taken: string;
      }[]
    >(`select key, state, last_error, checked_at, taken from inbound_mailboxes order by key`);
    return rows.map((row) => ({
      key: row.key,
      state: row.state,
      lastError: row.last_error,
      checkedAt: row.checked_at === null ? null : iso(row.checked_at),
      taken: Number(row.taken),
    }));
  }

  /**
   * Stores a message once (by mailbox+UIDVALIDITY+UID and by Message-ID) and, when it is new, joins it to
   * the order it answers: by its In-Reply-To/References naming one of the product's own e-mails, else by an
   * order number in the subject when it comes from that order's customer. Unmatched, it waits in the
   * inbound list (machine-written ones are kept but listed nowhere). A sender's messages beyond
   * `senderLimit` within an hour are taken for a machine's: a mail program answering every message without
   * saying so must not make the product tell staff, who may be e-mailed, over and over.
   */
  async store(mail: IncomingMail, messageIdDomain?: string, senderLimit = Infinity): Promise<Stored> {
    return this.em.transactional(async (em) => {
      const sql = sqlOf(em);
      const known = await sql<{ id: string; order_id: string | null; automatic: boolean }[]>(
        `select id, order_id, automatic from mail_messages
          where direction = 'in' and ((mailbox = ? and uid_validity = ? and uid = ?) or message_id = ?)
          limit 1`,
        [mail.mailbox, mail.uidValidity, mail.uid, mail.messageId],
      );
      if (known[0])
        return { id: known[0].id, created: false, orderId: known[0].order_id, automatic: known[0].automatic };
      if (!mail.automatic && (await sentWithinHour(sql, mail.fromAddress)) >= senderLimit) {
        const problem = `more than ${senderLimit} messages from this sender within an hour: taken for a machine's, announced to nobody`;
        mail = { ...mail, automatic: true, problem: mail.problem ?? problem };
      }
      const customer = await sql<{ id: string }[]>(
        `select id from customers where lower(email) = lower(?) order by created_at limit 1`,
        [mail.fromAddress],
      );
      const customerId = customer[0]?.id ?? null;
      const orderId = (await orderAnswered(sql, mail, messageIdDomain)) ?? (await orderNamed(sql, mail));
      const status = orderId ? 'order' : mail.automatic ? 'automatic' : 'open';
      const inserted = await sql<{ id: string }[]>(
        `insert into mail_messages (id, direction, mailbox, uid_validity, uid, message_id, status, order_id,
           customer_id, from_address, from_name, to_address, subject, text, in_reply_to, "references", automatic,
           authentication, attachments, suggestion, problem, size, at)
         values (gen_random_uuid(), 'in', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?::jsonb, ?, ?, ?, ?)
         on conflict do nothing
         returning id`,
        [
          mail.mailbox,
          mail.uidValidity,
          mail.uid,
          mail.messageId,
          status,
          orderId,
          customerId,
          mail.fromAddress,
          mail.fromName,
          mail.toAddress,
          mail.subject,
          mail.text,
          mail.inReplyTo,
          arrayLiteral(mail.references),
          mail.automatic,
          mail.authentication,
          JSON.stringify(mail.attachments),
          orderId ? null : mail.suggestion,
          mail.problem,
          mail.size,
          mail.at,
        ],
      );
      // Another reader stored it between the look and the insert (a lease that ran out mid-message).
      if (!inserted[0]) return { id: '', created: false, orderId: null, automatic: true };
      for (const file of mail.files)
        await sql(`insert into mail_attachments (message_id, n, bytes) values (?, ?, ?)`, [
          inserted[0].id,
          file.n,
          file.bytes,
        ]);
      return { id: inserted[0].id, created: true, orderId, automatic: mail.automatic };
    });
  }

  /** An order's conversation, oldest first. */
  async conversation(orderId: string): Promise<ConversationMessage[]> {
    if (!isUuid(orderId)) return [];
    const rows = await this.sql<MessageRow[]>(
      `select * from mail_messages where order_id = ? order by at, created_at, id`,
      [orderId],
    );
    return rows.map((row) => ({
      id: row.id,
      direction: row.direction,
      from: fromOf(row),
      to: row.to_address,
      subject: row.subject,
      text: row.text,
      at: iso(row.at),
      attachments: listed(row.attachments),
      automatic: row.automatic,
      authentication: row.authentication,
    }));
  }

  /**
   * Puts a staff message to the order's customer into the outbox, threaded on the conversation's latest
   * message (In-Reply-To/References), and records it in the conversation: both in one transaction.
   */
  async sendToCustomer(
    order: { id: string; number: string; customerId: string; customerEmail: string },
    text: string,
    from: string,
    actor: Actor,
    messageIdDomain?: string,
  ): Promise<ConversationMessage> {
    return this.em.transactional(async (em) => {
      const sql = sqlOf(em);
      const last = await sql<{ message_id: string | null; references: string[]; subject: string }[]>(
        `select message_id, "references", subject from mail_messages
          where order_id = ? and message_id is not null order by at desc, created_at desc limit 1`,
        [order.id],
      );
      const previous = last[0];
      const references = previous?.message_id ? [...previous.references, previous.message_id].slice(-20) : [];
      const subject = previous
        ? /^re:/i.test(previous.subject)
          ? previous.subject
          : `Re: ${previous.subject}`
        : `Order ${order.number}`;
      const delivery = await sql<{ id: string; created_at: SqlTime }[]>(
        `insert into deliveries (dedup_key, order_id, kind, channel, recipient, address, subject, text_body,
           html_body, destination, "references")
         values ('message:' || gen_random_uuid(), ?, ?, 'email', ?, ?, ?, ?, null, 'smtp', ?::text[])
         returning id, created_at`,
        [
          order.id,
          ORDER_MESSAGE_KIND,
          `customer:${order.customerId}`,
          order.customerEmail,
          subject,
          text,
          arrayLiteral(references),
        ],
      );
      const deliveryId = delivery[0]!.id;
      const rows = await sql<MessageRow[]>(
        `insert into mail_messages (id, direction, message_id, status, order_id, customer_id, from_address,
           to_address, subject, text, in_reply_to, "references", delivery_id, filed, at)
         values (gen_random_uuid(), 'out', ?, 'sent', ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?::jsonb, now())
         returning *`,
        [
          messageIdOf(deliveryId, messageIdDomain),
          order.id,
          order.customerId,
          from,
          order.customerEmail,
          subject,
          text,
          references.at(-1) ?? null,
          arrayLiteral(references),
          deliveryId,
          JSON.stringify({ by: { id: actor.id, username: actor.username } }),
        ],
      );
      const row = rows[0]!;
      return {
        id: row.id,
        direction: 'out',
        from: row.from_address,
        to: row.to_address,
        subject: row.subject,
        text: row.text,
        at: iso(row.at),
        attachments: [],
        automatic: false,
        authentication: null,
      };
    });
  }

  /** The incoming messages waiting for staff, oldest first. */
  async open(limit: number): Promise<InboundItem[]> {
    const rows = await this.sql<MessageRow[]>(
      `select * from mail_messages where status = 'open' order by created_at, id limit ?`,
      [limit],
    );
    return rows.map(toItem);
  }

  /** One incoming message by id, locked for filing; null when unknown. */
  async findIncoming(id: string): Promise<(InboundItem & { status: string; fromAddress: string }) | null> {
    if (!isUuid(id)) return null;
    const rows = await this.sql<MessageRow[]>(
      `select * from mail_messages where id = ? and direction = 'in'`,
      [id],
    );
    const row = rows[0];
    return row ? { ...toItem(row), status: row.status, fromAddress: row.from_address } : null;
  }

  /**
   * A kept attachment of an incoming message by its position in the message's list; null when the message
   * or the attachment is unknown, or its bytes were not kept. `orderId` limits it to that order's messages.
   */
  async attachment(messageId: string, n: number, orderId?: string): Promise<StoredAttachment | null> {
    if (!isUuid(messageId) || (orderId !== undefined && !isUuid(orderId))) return null;
    if (!Number.isSafeInteger(n) || n < 0 || n > 1000) return null;
    const rows = await this.sql<{ attachments: Partial<AttachmentInfo>[]; bytes: Buffer }[]>(
      `select m.attachments, a.bytes from mail_messages m
         join mail_attachments a on a.message_id = m.id and a.n = ?
        where m.id = ? and m.direction = 'in' and (?::uuid is null or m.order_id = ?::uuid)`,
      [n, messageId, orderId ?? null, orderId ?? null],
    );
    const row = rows[0];
    const info = row ? listed(row.attachments)[n] : undefined;
    if (!row || !info?.kept) return null;
    return { name: info.name, type: info.type, bytes: Buffer.from(row.bytes) };
  }

  /**
   * Files an open message: as feedback (a feedback row with channel `email`), as a message on an order, as
   * the order draft `importId` (an import preview made from it), or closes it. Null when it is not open any
   * more (filed or closed by someone else), in the same transaction.
   */
  async file(
    id: string,
    as: 'feedback' | 'message' | 'order-draft' | 'closed',
    actor: Actor,
    orderId: string | null,
    importId: string | null = null,
  ): Promise<InboundItem | null> {
    if (!isUuid(id)) return null;
    return this.em.transactional(async (em) => {
      const sql = sqlOf(em);
      const rows = await sql<MessageRow[]>(
        `select * from mail_messages where id = ? and direction = 'in' and status = 'open' for update`,
        [id],
      );
      const row = rows[0];
      if (!row) return null;
      const filed = JSON.stringify({
        as,
        by: { id: actor.id, username: actor.username },
        at: new Date().toISOString(),
        ...(importId ? { importId } : {}),
      });
      if (as === 'feedback') {
        await sql(
          `insert into feedback (id, author, message, rating, order_id, created_at, channel)
           values (gen_random_uuid(), ?::jsonb, ?, null, ?, now(), 'email')`,
          [
            JSON.stringify({ id: row.customer_id ?? row.id, username: row.from_address }),
            `${row.subject}\n\n${row.text}`.trim().slice(0, 4000) || '(empty message)',
            orderId,
          ],
        );
      }
      await sql(
        `update mail_messages set status = ?, order_id = coalesce(?, order_id), filed = ?::jsonb where id = ?`,
        [
          as === 'message' ? 'order' : as === 'closed' ? 'closed' : 'filed',
          as === 'message' ? orderId : null,
          filed,
          id,
        ],
      );
      return toItem(row);
    });
  }
}

function toItem(row: MessageRow): InboundItem {
  return {
    id: row.id,
    from: fromOf(row),
    subject: row.subject,
    text: row.text,
    at: iso(row.at),
    ...(row.customer_id ? { customerId: row.customer_id } : {}),
    suggestion: row.suggestion,
    problem: row.problem,
    authentication: row.authentication,
    attachments: listed(row.attachments),
  };
}

/** The order of the product's own e-mail this message answers, nearest answer first. */
async function orderAnswered(
  sql: Sql,
  mail: IncomingMail,
  messageIdDomain: string | undefined,
): Promise<string | null> {
  const ids = deliveryIdsAnswered(mail.inReplyTo, mail.references, messageIdDomain);
  if (ids.length === 0) return null;
  const rows = await sql<{ id: string; order_id: string }[]>(
    `select id, order_id from deliveries where id = any(?::uuid[]) and order_id is not null`,
    [arrayLiteral(ids)],
  );
  for (const id of ids) {
    const row = rows.find((r) => r.id === id);
    if (row) return row.order_id;
  }
  return null;
}

/** The order named in the subject, only when the message comes from that order's customer. */
async function orderNamed(sql: Sql, mail: IncomingMail): Promise<string | null> {
  const numbers = orderNumbersIn(mail.subject);
  if (numbers.length === 0 || !mail.fromAddress) return null;
  const rows = await sql<{ id: string }[]>(
    `select o.id from orders o join customers c on c.id = o.customer_id
      where o.number = any(?::text[]) and lower(c.email) = lower(?)
      order by o.created_at desc limit 1`,
    [arrayLiteral(numbers), mail.fromAddress],
  );
  return rows[0]?.id ?? null;
}

/** How many messages the address sent that were stored within the last hour. */
async function sentWithinHour(sql: Sql, address: string): Promise<number> {
  const rows = await sql<{ count: string }[]>(
    `select count(*) from mail_messages
      where direction = 'in' and lower(from_address) = lower(?) and created_at > now() - interval '1 hour'`,
    [address],
  );
  return Number(rows[0]!.count);
}
