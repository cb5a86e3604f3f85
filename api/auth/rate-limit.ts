/**
 * A fixed one-minute window per client: up to `limit` requests in each minute, then refusals until the
 * minute ends, with the seconds to wait. Kept in the process's memory: each API process limits on its own,
 * which the configuration table says.
 */
export class MinuteRateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limit: number) {}

  /** Counts a request of `client` at `now` (ms); null when admitted, else the seconds until it may retry. */
  take(client: string, now: number): number | null {
    const window = this.windows.get(client);
    if (!window || now - window.start >= 60_000) {
      if (this.windows.size > 10_000) this.forgetOld(now);
      this.windows.set(client, { start: now, count: 1 });
      return null;
    }
    if (window.count < this.limit) {
      window.count++;
      return null;
    }
    return Math.max(1, Math.ceil((window.start + 60_000 - now) / 1000));
  }

  private forgetOld(now: number): void {
    for (const [client, window] of this.windows)
      if (now - window.start >= 60_000) this.windows.delete(client);
  }
}
