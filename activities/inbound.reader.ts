/**
 * The mailbox readers (docs/inbound-mail.md): one loop per configured IMAP mailbox in the delivery worker's
 * process, on the deliveries' own PostgreSQL pool, so that a slow or unreachable mail server costs the
 * orders nothing. Like the outbox dispatcher, not a Temporal workflow: the rows are the durable state.
 *
 * Each pass: take the mailbox's lease in PostgreSQL (one reader per mailbox across worker processes), open
 * the folder, fetch the UIDs after the last one recorded (all of them again when UIDVALIDITY changed), and
 * for each message in UID order: store it (once per mailbox+UIDVALIDITY+UID and per Message-ID), move it to
 * the `Processed` folder, record its UID. A reader that dies between any two of these steps leaves nothing
 * half-done that the next pass does not finish: a stored message is recognised and only moved; a moved one
 * is no longer in the folder. Messages are never deleted.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ImapFlow } from 'imapflow';
import type { InboundMailbox } from '../config/config';
import { InboundRepository } from '../db/repositories';
import { MAX_MESSAGE_BYTES, readMail } from './inbound.parse';

/** Where taken messages are moved, in the same account. */
export const PROCESSED_FOLDER = 'Processed';

export interface InboundLog {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
}

export interface InboundReaderDeps {
  /** A unit of work on the deliveries' connection pool. */
  em: () => EntityManager;
  mailboxes: readonly InboundMailbox[];
  /** This process, as the holder of mailbox leases. */
  owner: string;
  /** Wait after a pass that found nothing new. */
  pollMs: number;
  /** The domain of the product's own Message-IDs, which replies name; `oms.local` when not given. */
  messageIdDomain?: string;
  log: InboundLog;
  /**
   * Messages of one sender within an hour beyond which the rest are taken for a machine's (kept, threaded,
   * announced to nobody); default 20.
   */
  senderLimit?: number;
  /** Bytes per attachment kept at most; larger ones are listed as refused. Default 5 MB. */
  attachmentMaxBytes?: number;
  /** Messages per pass at most: the lease is renewed between passes. */
  batchSize?: number;
  /**
   * Tells the people responsible for an order that a customer's message joined it (not for machine-written
   * mail). Called for every pass over a stored message, before it is moved: a reader that died in between
   * calls it again, so it must be idempotent by the message's id.
   */
  onJoined?: (joined: JoinedMessage) => Promise<void>;
  /** Called after a message is stored and before it is moved: tests stop a reader there. */
  afterStore?: (mailbox: string, uid: number) => Promise<void>;
}

/** A customer's message that joined an order's conversation. */
export interface JoinedMessage {
  /** The stored message's id: what makes telling of it idempotent. */
  id: string;
  orderId: string;
  from: string;
  subject: string;
  text: string;
}

/** How long a mailbox stays this reader's after its last renewal. */
const LEASE_MS = 60_000;
const MAX_BACKOFF_MS = 5 * 60_000;
/** Messages from one sender within an hour that count as a person's. */
export const DEFAULT_SENDER_LIMIT = 20;

/** Reads every configured mailbox until stopped. */
export class InboundReader {
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private readonly wakers = new Set<() => void>();
  /** Per mailbox, what ends its reader's wait early: the server announcing a new message (IDLE). */
  private readonly arrivals = new Map<string, () => void>();

  constructor(private readonly deps: InboundReaderDeps) {}

  /** Starts one loop per mailbox. */
  start(): void {
    for (const mailbox of this.deps.mailboxes) this.loops.push(this.loop(mailbox));
  }

  /** Stops the loops after the step each is in, and gives their mailboxes up. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.wakers) wake();
    await Promise.all(this.loops);
  }

  private async loop(mailbox: InboundMailbox): Promise<void> {
    const repository = () => new InboundRepository(this.deps.em());
    let client = null as ImapFlow | null;
    while (!this.stopped) {
      let wait = this.deps.pollMs;
      try {
        const position = await repository().takeMailbox(mailbox.key, this.deps.owner, LEASE_MS);
        if (position) {
          if (!client?.usable) {
            client = await connect(mailbox);
            // While the reader waits, the connection idles in the folder (IMAP IDLE, which imapflow enters
            // a second after the last command): the server's word of a new message ends the wait at once;
            // the poll interval stays the fallback for a server without IDLE or a missed word.
            client.on('exists', () => this.arrivals.get(mailbox.key)?.());
          }
          const taken = await this.pass(mailbox, client, position);
          if (taken > 0) wait = 0;
        } else {
          wait = LEASE_MS / 2;
        }
      } catch (error) {
        const message = describe(error);
        client?.close();
        client = null;
        const failures = await repository()
          .failed(mailbox.key, this.deps.owner, message)
          .catch(() => 1);
        this.deps.log.warn('a mailbox could not be read', { mailbox: mailbox.key, error: message });
        wait = Math.min(MAX_BACKOFF_MS, this.deps.pollMs * 2 ** Math.min(failures - 1, 10));
      }
      if (wait > 0) await this.sleep(wait, mailbox.key);
    }
    if (client?.usable) {
      const open = client;
      await open.logout().catch(() => open.close());
    }
    await repository()
      .releaseMailbox(mailbox.key, this.deps.owner)
      .catch(() => undefined);
  }

  /** One pass over the mailbox's new messages; answers how many it took. */
  private async pass(
    mailbox: InboundMailbox,
    client: ImapFlow,
    position: { uidValidity: number | null; lastUid: number },
  ): Promise<number> {
    const repository = () => new InboundRepository(this.deps.em());
    const opened = await client.mailboxOpen(mailbox.folder);
    const uidValidity = Number(opened.uidValidity);
    const after = position.uidValidity === uidValidity ? position.lastUid : 0;
    // `n:*` always answers the last message, even when its UID is below n.
    const found = (await client.fetchAll(`${after + 1}:*`, { uid: true, size: true }, { uid: true }))
      .filter((m) => m.uid > after)
      .sort((a, b) => a.uid - b.uid)
      .slice(0, this.deps.batchSize ?? 50);
    if (found.length === 0) {
      await repository().advance(mailbox.key, this.deps.owner, uidValidity, after, 0);
      return 0;
    }
    if (!(await client.list()).some((box) => box.path === PROCESSED_FOLDER))
      await client.mailboxCreate(PROCESSED_FOLDER);
    let taken = 0;
    for (const { uid, size = 0 } of found) {
      if (this.stopped) break;
      const tooLarge = size > MAX_MESSAGE_BYTES;
      const fetched = await client.fetchOne(
        String(uid),
        tooLarge ? { uid: true, headers: true } : { uid: true, source: true },
        { uid: true },
      );
      if (!fetched) continue; // expunged by someone else meanwhile
      const source = (tooLarge ? fetched.headers : fetched.source) ?? Buffer.alloc(0);
      const mail = await readMail(
        source,
        { mailbox: mailbox.key, uidValidity, uid, size },
        tooLarge,
        this.deps.attachmentMaxBytes,
      );
      const stored = await repository().store(
        mail,
        this.deps.messageIdDomain,
        this.deps.senderLimit ?? DEFAULT_SENDER_LIMIT,
      );
      if (stored.orderId && !stored.automatic && this.deps.onJoined)
        await this.deps.onJoined({
          id: stored.id,
          orderId: stored.orderId,
          from: mail.fromName ? `${mail.fromName} <${mail.fromAddress}>` : mail.fromAddress,
          subject: mail.subject,
          text: mail.text,
        });
      await this.deps.afterStore?.(mailbox.key, uid);
      await client.messageMove(String(uid), PROCESSED_FOLDER, { uid: true });
      await repository().advance(mailbox.key, this.deps.owner, uidValidity, uid, stored.created ? 1 : 0);
      taken++;
    }
    return taken;
  }

  private sleep(ms: number, mailbox: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        if (this.arrivals.get(mailbox) === wake) this.arrivals.delete(mailbox);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
      this.arrivals.set(mailbox, wake);
    });
  }
}

async function connect(mailbox: InboundMailbox): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: mailbox.host,
    port: mailbox.port,
    secure: mailbox.secure,
    auth: { user: mailbox.user, pass: mailbox.password },
    logger: false,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
    autoIdleDelay: 1000,
  });
  // A dropped connection is noticed by the next command; without a listener the error would crash the process.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** A reason safe to show in /health: never the password. */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const response = (error as Error & { responseText?: string }).responseText;
    return response ? `${error.message}: ${response}` : error.message;
  }
  return String(error);
}
