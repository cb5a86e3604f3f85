import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from './ids';
import { sqlOf } from './sql';

/** How one kind of throttle key slows guessing: free attempts, then a delay that doubles up to a cap. */
export interface ThrottleRule {
  /** Failures allowed without any wait. */
  free: number;
  /** The wait after the first failure past `free`, in seconds; doubled after each further failure. */
  baseDelaySeconds: number;
  /** The longest wait, in seconds: no attacker can keep anyone out for longer at a time. */
  maxDelaySeconds: number;
  /** Failures older than this are forgotten, in seconds. */
  windowSeconds: number;
}

/**
 * Sign-in attempts counted per key (a username, an address, or both) with growing delays. Each attempt is
 * admitted and counted as a failure in one atomic statement *before* the password is checked, so attempts
 * sent in parallel are counted like attempts sent one by one; a successful sign-in forgives its key.
 */
export class LoginThrottleRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Admits one attempt on a key and counts it as a failure; false when the key must still wait (then
   * nothing is counted, so hammering a waiting key does not extend its wait).
   */
  async admit(key: string, rule: ThrottleRule): Promise<boolean> {
    return this.em.transactional(async (tx) => {
      const sql = sqlOf(tx);
      await sql(`insert into login_throttle (key) values (?) on conflict (key) do nothing`, [key]);
      // The row lock makes parallel attempts on one key wait for each other's count.
      const [row] = await sql<{ failures: number; expired: boolean; waiting: boolean }[]>(
        `select failures, last_failure_at < now() - make_interval(secs => ?) as expired,
                next_attempt_at > now() as waiting
           from login_throttle where key = ? for update`,
        [rule.windowSeconds, key],
      );
      if (!row || row.waiting) return false;
      const failures = row.expired ? 1 : row.failures + 1;
      const delay =
        failures < rule.free
          ? 0
          : Math.min(rule.maxDelaySeconds, rule.baseDelaySeconds * 2 ** (failures - rule.free));
      await sql(
        `update login_throttle set failures = ?, last_failure_at = now(),
           next_attempt_at = now() + make_interval(secs => ?) where key = ?`,
        [failures, delay, key],
      );
      return true;
    });
  }

  /** Whether the key must still wait before its next attempt (nothing is counted). */
  async isWaiting(key: string): Promise<boolean> {
    const rows = await sqlOf(this.em)(
      `select 1 from login_throttle where key = ? and next_attempt_at > now()`,
      [key],
    );
    return rows.length > 0;
  }

  /** A successful sign-in forgives the failures counted on these keys. */
  async forgive(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await sqlOf(this.em)(`delete from login_throttle where key = any(?::text[])`, [
      `{${keys.map((key) => JSON.stringify(key)).join(',')}}`,
    ]);
  }

  /**
   * Deletes the keys whose failures no longer count: the last one is older than the window and no wait is
   * running. Such a row means what no row means (the next failure counts as the first), so deleting it
   * changes no answer; without this the table keeps one row per name and address ever tried.
   */
  async purge(windowSeconds: number): Promise<number> {
    const rows = await sqlOf(this.em)(
      `delete from login_throttle
        where last_failure_at < now() - make_interval(secs => ?) and next_attempt_at <= now()
        returning key`,
      [windowSeconds],
    );
    return rows.length;
  }

  /** Whether the user has signed in from this address before. */
  async isKnownAddress(userId: string, address: string): Promise<boolean> {
    const rows = await sqlOf(this.em)(
      `select 1 from user_known_addresses where user_id = ? and address = ?`,
      [userId, address],
    );
    return rows.length > 0;
  }

  /** Remembers the address of a successful sign-in (the twenty most recent are kept per user). */
  async rememberAddress(userId: string, address: string): Promise<void> {
    const sql = sqlOf(this.em);
    await sql(
      `insert into user_known_addresses (user_id, address) values (?, ?)
       on conflict (user_id, address) do update set last_seen_at = now()`,
      [userId, address],
    );
    await sql(
      `delete from user_known_addresses where user_id = ? and address not in (
         select address from user_known_addresses where user_id = ? order by last_seen_at desc limit 20)`,
      [userId, userId],
    );
  }

  /** Whether the user has signed in successfully on this browser before. */
  async isKnownDevice(userId: string, deviceId: string): Promise<boolean> {
    if (!isUuid(deviceId)) return false;
    const rows = await sqlOf(this.em)(
      `select 1 from user_known_devices where user_id = ? and device_id = ?`,
      [userId, deviceId],
    );
    return rows.length > 0;
  }

  /** Remembers the browser of a successful sign-in (the twenty most recent are kept per user). */
  async rememberDevice(userId: string, deviceId: string): Promise<void> {
    const sql = sqlOf(this.em);
    await sql(
      `insert into user_known_devices (user_id, device_id) values (?, ?)
       on conflict (user_id, device_id) do update set last_seen_at = now()`,
      [userId, deviceId],
    );
    await sql(
      `delete from user_known_devices where user_id = ? and device_id not in (
         select device_id from user_known_devices where user_id = ? order by last_seen_at desc limit 20)`,
      [userId, userId],
    );
  }
}
