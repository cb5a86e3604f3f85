import type { EntityManager } from '@mikro-orm/postgresql';
import type { Breaker } from '../../domain/delivery.rules';
import type { BreakerState, Channel, DeliveryStatus } from '../../domain/notifications';
import { arrayLiteral, sqlOf } from './sql';
import type { DeliveryPolicy } from './delivery.repository';

/** A destination as its dispatcher holds it: its breaker and whether a manager paused it. */
export interface HeldDestination {
  key: string;
  channel: Channel;
  breaker: Breaker;
  paused: boolean;
}

/** A delivery claimed for sending, with everything needed to send it. */
export interface ClaimedDelivery {
  id: string;
  kind: string;
  channel: Channel;
  address: string;
  subject: string | null;
  textBody: string | null;
  htmlBody: string | null;
  payload: unknown;
  webhookId: string | null;
  /** The Message-IDs an e-mail answers (a staff reply to a customer), oldest first; empty for the rest. */
  references: string[];
  /** This attempt's number: its outcome is recorded only while the delivery is still this attempt's. */
  attempts: number;
  /** Its own failures before this attempt. */
  failures: number;
  /** The retry policy it was planned with; null for deliveries planned before policies were kept. */
  policy: DeliveryPolicy | null;
}

/** How one attempt ended. */
export type Settlement =
  | { status: 'sent' }
  | { status: 'unconfirmed' | 'failed'; error: string }
  | {
      status: 'retrying';
      error: string;
      /** When it is due again, in milliseconds from now. */
      delayMs: number;
      /** Whether it counts among the delivery's own failures (the receiver refused this message). */
      ownFailure: boolean;
    };

/** What recovering interrupted attempts did to one delivery. */
export interface Recovered {
  id: string;
  channel: Channel;
  status: DeliveryStatus;
}

const WAITING = `('pending', 'retrying', 'sending')`;

/** `destinationOf` of workflows/delivery.rules.ts in SQL, for rows planned before the outbox existed. */
const DESTINATION_SQL = `case when channel = 'email' then 'smtp'
  else 'webhook:' || lower(coalesce(
    substring(address from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#]+)'), address)) end`;

/** A time from raw SQL: the driver may give a Date or the text of one. */
type SqlTime = Date | string;
const msOf = (value: SqlTime | null): number | null => (value === null ? null : new Date(value).getTime());

interface DestinationRecord {
  key: string;
  channel: Channel;
  state: BreakerState;
  failures: number;
  probes: number;
  opened_at: SqlTime | null;
  next_probe_at: SqlTime | null;
  paused: boolean;
  lease_owner: string | null;
}

const heldOf = (row: DestinationRecord): HeldDestination => ({
  key: row.key,
  channel: row.channel,
  paused: row.paused,
  breaker: {
    state: row.state,
    failures: row.failures,
    probes: row.probes,
    openedAt: msOf(row.opened_at),
    nextProbeAt: msOf(row.next_probe_at),
  },
});

/**
 * The delivery worker's side of the outbox: which destinations this process dispatches (a lease per
 * destination, so that one process at a time sends to each, at one bounded rate, and another takes over when
 * it dies), claiming due deliveries oldest first with `FOR UPDATE SKIP LOCKED`, recording each attempt's
 * outcome, each destination's breaker, and recovering attempts whose dispatcher died.
 */
export class OutboxRepository {
  constructor(private readonly em: EntityManager) {}

  private get sql() {
    return sqlOf(this.em);
  }

  /**
   * Makes sure a destination has its row, naming the server it is (the SMTP server's host and port), so
   * that health shows it from the start. A breaker kept for another server starts over closed: an operator
   * who points OMS_SMTP_URL at a working server is not kept waiting for the old one's next probe.
   */
  async ensureDestination(key: string, channel: Channel, server: string | null): Promise<void> {
    await this.sql(
      `insert into delivery_destinations as d (key, channel, server) values (?, ?, ?)
       on conflict (key) do update set server = excluded.server, updated_at = now(),
         state = case when d.server is distinct from excluded.server then 'closed' else d.state end,
         failures = case when d.server is distinct from excluded.server then 0 else d.failures end,
         probes = case when d.server is distinct from excluded.server then 0 else d.probes end,
         opened_at = case when d.server is distinct from excluded.server then null else d.opened_at end,
         next_probe_at = case when d.server is distinct from excluded.server then null else d.next_probe_at end
       where d.server is distinct from excluded.server`,
      [key, channel, server],
    );
  }

  /**
   * Takes or renews this process's lease of every destination of these channels (a process without an
   * SMTP server sends no e-mail) with waiting deliveries whose lease is free, expired or already its own,
   * and lets go of those it holds with nothing waiting. Destinations seen in the outbox for the first time
   * get their row. Answers the destinations this process holds now.
   */
  async lease(owner: string, leaseMs: number, channels: readonly Channel[]): Promise<HeldDestination[]> {
    await this.sql(
      `insert into delivery_destinations (key, channel)
       select distinct destination, channel from deliveries where status in ${WAITING} and destination is not null
       on conflict (key) do nothing`,
    );
    const rows = await this.sql<DestinationRecord[]>(
      `with waiting as (
         select distinct destination from deliveries
          where status in ${WAITING} and destination is not null and channel = any(?::text[]))
       update delivery_destinations d set
         lease_owner = case when d.key in (select destination from waiting) then ? end,
         lease_until = case when d.key in (select destination from waiting)
                         then now() + ? * interval '1 millisecond' end
        where (d.lease_owner = ? or d.lease_until is null or d.lease_until < now())
          and (d.key in (select destination from waiting) or d.lease_owner is not null)
       returning d.*`,
      [arrayLiteral(channels), owner, leaseMs, owner],
    );
    return rows.filter((row) => row.lease_owner === owner).map(heldOf);
  }

  /** Lets go of every lease this process holds (it is stopping): another process takes over at once. */
  async releaseAll(owner: string): Promise<void> {
    await this.sql(
      `update delivery_destinations set lease_owner = null, lease_until = null where lease_owner = ?`,
      [owner],
    );
  }

  /**
   * What may have changed since the lane last looked: whether a manager paused the destination, the next
   * probe a resume brought forward, and who holds it now.
   */
  async destinationState(
    key: string,
  ): Promise<{ paused: boolean; nextProbeAt: number | null; leaseOwner: string | null } | null> {
    const [row] = await this.sql<
      { paused: boolean; next_probe_at: SqlTime | null; lease_owner: string | null }[]
    >(`select paused, next_probe_at, lease_owner from delivery_destinations where key = ?`, [key]);
    return row
      ? { paused: row.paused, nextProbeAt: msOf(row.next_probe_at), leaseOwner: row.lease_owner }
      : null;
  }

  /**
   * Records the destination's breaker and what it last did, while this process holds its lease (a process
   * that lost it changes nothing). A manager's resume that came meanwhile moves the next probe to now.
   */
  async saveBreaker(
    key: string,
    owner: string,
    breaker: Breaker,
    outcome: { ok: true } | { ok: false; error: string } | null,
  ): Promise<boolean> {
    const rows = await this.sql<{ key: string }[]>(
      `update delivery_destinations set
         state = ?, failures = ?, probes = ?,
         opened_at = ?, next_probe_at = ?,
         last_error = case when ? then ? else last_error end,
         last_failure_at = case when ? then now() else last_failure_at end,
         last_success_at = case when ? then now() else last_success_at end,
         updated_at = now()
       where key = ? and lease_owner = ?
       returning key`,
      [
        breaker.state,
        breaker.failures,
        breaker.probes,
        breaker.openedAt === null ? null : new Date(breaker.openedAt),
        breaker.nextProbeAt === null ? null : new Date(breaker.nextProbeAt),
        outcome?.ok === false,
        outcome?.ok === false ? outcome.error : null,
        outcome?.ok === false,
        outcome?.ok === true,
        key,
        owner,
      ],
    );
    return rows.length > 0;
  }

  /**
   * Claims up to `limit` due deliveries of the destination, oldest first, skipping any another transaction
   * holds: each becomes `sending` with its attempt counted and a lease, committed before anything is sent.
   */
  async claim(key: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows = await this.sql<
      {
        id: string;
        kind: string;
        channel: Channel;
        address: string;
        subject: string | null;
        text_body: string | null;
        html_body: string | null;
        payload: unknown;
        webhook_id: string | null;
        references: string[] | null;
        attempts: number;
        failures: number;
        max_attempts: number | null;
        retry_interval_ms: number | null;
        created_at: SqlTime;
      }[]
    >(
      `with due as (
         select id from deliveries
          where destination = ? and status in ('pending', 'retrying') and next_attempt_at <= now()
          order by created_at, id
          limit ?
          for update skip locked)
       update deliveries d set status = 'sending', attempts = d.attempts + 1,
              lease_until = now() + ? * interval '1 millisecond', updated_at = now()
         from due where d.id = due.id
       returning d.id, d.kind, d.channel, d.address, d.subject, d.text_body, d.html_body, d.payload,
                 d.webhook_id, d."references", d.attempts, d.failures, d.max_attempts, d.retry_interval_ms,
                 d.created_at`,
      [key, limit, leaseMs],
    );
    return rows
      .sort((a, b) => msOf(a.created_at)! - msOf(b.created_at)! || a.id.localeCompare(b.id))
      .map((row) => ({
        id: row.id,
        kind: row.kind,
        channel: row.channel,
        address: row.address,
        subject: row.subject,
        textBody: row.text_body,
        htmlBody: row.html_body,
        payload: row.payload,
        references: row.references ?? [],
        webhookId: row.webhook_id,
        attempts: row.attempts,
        failures: row.failures,
        policy:
          row.max_attempts === null || row.retry_interval_ms === null
            ? null
            : { attempts: row.max_attempts, retryIntervalMs: row.retry_interval_ms },
      }));
  }

  /**
   * Records how the attempt ended, unless the delivery is no longer this attempt's (its lease expired and
   * recovery settled it meanwhile): then nothing changes.
   */
  async settle(id: string, attempt: number, settlement: Settlement): Promise<boolean> {
    const error = settlement.status === 'sent' ? null : settlement.error;
    const delayMs = settlement.status === 'retrying' ? settlement.delayMs : 0;
    const own = settlement.status === 'retrying' && settlement.ownFailure ? 1 : 0;
    const rows = await this.sql<{ id: string }[]>(
      `update deliveries set status = ?, lease_until = null, updated_at = now(),
              last_error = coalesce(?, last_error),
              sent_at = case when ? = 'sent' then now() else sent_at end,
              next_attempt_at = now() + ? * interval '1 millisecond',
              failures = failures + ?
        where id = ? and status = 'sending' and attempts = ?
       returning id`,
      [settlement.status, error, settlement.status, delayMs, own, id, attempt],
    );
    return rows.length > 0;
  }

  /**
   * Attempts whose dispatcher died (their lease ran out; without one, from a delivery workflow, after a
   * minute): an e-mail may have reached its reader, so it is not sent again but marked `unconfirmed` for a
   * person to check; a webhook call is made again with the same delivery id, which its receiver deduplicates.
   */
  async recoverInterrupted(): Promise<Recovered[]> {
    return this.sql<Recovered[]>(
      `update deliveries set
         status = case when channel = 'email' then 'unconfirmed' else 'retrying' end,
         last_error = case when channel = 'email'
           then 'an earlier attempt stopped in the middle of sending; not sent again so that nobody receives it twice'
           else 'an earlier attempt stopped before the receiver answered; sent again with the same delivery id' end,
         destination = coalesce(destination, ${DESTINATION_SQL}),
         next_attempt_at = now(), lease_until = null, updated_at = now()
       where status = 'sending'
         and (lease_until < now() or (lease_until is null and updated_at < now() - interval '1 minute'))
       returning id, channel, status`,
    );
  }

  /** A destination answers again: its waiting deliveries are all due now, to drain oldest first. */
  async dueNow(key: string): Promise<void> {
    await this.sql(
      `update deliveries set next_attempt_at = now()
        where destination = ? and status in ('pending', 'retrying') and next_attempt_at > now()`,
      [key],
    );
  }
}
