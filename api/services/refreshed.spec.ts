import { Refreshed } from './refreshed';

describe('a value refreshed at most once per interval', () => {
  let clock: number;
  let reads: number;
  const counted = (fail = () => false) =>
    new Refreshed(
      () => {
        reads++;
        return fail() ? Promise.reject(new Error('down')) : Promise.resolve(reads);
      },
      10_000,
      () => clock,
    );

  beforeEach(() => {
    clock = 1_000_000;
    reads = 0;
  });

  it('answers every caller within the interval with one read', async () => {
    const value = counted();
    const start = clock;
    for (; clock < start + 10_000; clock += 99) expect(await value.get()).toBe(1);
    expect(reads).toBe(1);
    clock = start + 10_000;
    expect(await value.get()).toBe(2);
  });

  it('lets callers that arrive together share the read in flight', async () => {
    const value = counted();
    expect(await Promise.all([value.get(), value.get(), value.get()])).toEqual([1, 1, 1]);
    expect(reads).toBe(1);
  });

  it('reads again after a failed read instead of answering the failure for the interval', async () => {
    let failing = true;
    const value = counted(() => failing);
    await expect(value.get()).rejects.toThrow('down');
    failing = false;
    expect(await value.get()).toBe(2);
    expect(await value.get()).toBe(2);
  });
});
