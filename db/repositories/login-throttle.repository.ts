import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlOf } from './sql';

/** Failed sign-ins, counted per username and per client address over a sliding window. */
export class LoginThrottleRepository {
  constructor(private readonly em: EntityManager) {}

  async recordFailure(username: string, address: string): Promise<void> {
    await sqlOf(this.em)(`insert into login_failures (username, address) values (?, ?)`, [
      username.toLowerCase(),
      address,
    ]);
  }

  async recentFailures(username: string, address: string, windowSeconds: number) {
    const [row] = await sqlOf(this.em)<{ by_username: number; by_address: number }[]>(
      `select count(*) filter (where username = ?)::int as by_username, count(*) filter (where address = ?)::int as by_address
         from login_failures where at > now() - make_interval(secs => ?) and (username = ? or address = ?)`,
      [username.toLowerCase(), address, windowSeconds, username.toLowerCase(), address],
    );
    return { byUsername: row?.by_username ?? 0, byAddress: row?.by_address ?? 0 };
  }

  /** A successful sign-in forgives the username's failures. */
  async clear(username: string): Promise<void> {
    await sqlOf(this.em)(`delete from login_failures where username = ?`, [username.toLowerCase()]);
  }
}
