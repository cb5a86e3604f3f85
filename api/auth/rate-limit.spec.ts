import { MinuteRateLimit } from './rate-limit';

describe('the per-key request limit', () => {
  it('admits the limit within a minute, then says how many seconds remain until the next minute', () => {
    const limit = new MinuteRateLimit(3);
    const start = 1_000_000;
    expect([0, 1, 2].map((i) => limit.take('key', start + i * 1000))).toEqual([null, null, null]);
    expect(limit.take('key', start + 20_500)).toBe(40);
    expect(limit.take('key', start + 59_999)).toBe(1);
    expect(limit.take('key', start + 60_000)).toBeNull();
  });

  it('counts each client on its own', () => {
    const limit = new MinuteRateLimit(1);
    expect(limit.take('a', 0)).toBeNull();
    expect(limit.take('b', 0)).toBeNull();
    expect(limit.take('a', 10)).toBe(60);
  });
});
