/**
 * A value read at most once per interval: callers within the interval share the last read (or the read in
 * flight), so however many ask, the source is asked once. A read that fails is not kept: the next caller
 * reads again.
 */
export class Refreshed<T> {
  private last: { at: number; value: Promise<T> } | null = null;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly intervalMs: number,
    /** Milliseconds since the epoch; injected so tests can move time. */
    private readonly now: () => number = () => Date.now(),
  ) {}

  get(): Promise<T> {
    const now = this.now();
    if (this.last && now - this.last.at < this.intervalMs) return this.last.value;
    const value = this.read();
    const entry = { at: now, value };
    this.last = entry;
    value.catch(() => {
      if (this.last === entry) this.last = null;
    });
    return value;
  }
}
