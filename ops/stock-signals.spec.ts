import { StockSignals } from './stock-signals';

describe('StockSignals', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const setUp = (send: (orderId: string) => Promise<void> = () => Promise.resolve()) => {
    const sent: string[] = [];
    const late: string[] = [];
    const signals = new StockSignals(
      (orderId) => {
        sent.push(orderId);
        return send(orderId);
      },
      (orderId) => late.push(orderId),
      250,
    );
    return { signals, sent, late };
  };

  it('signals an order at once, and the many asked for within the gap as one after it', async () => {
    const { signals, sent } = setUp();
    await signals.tell(['a', 'b']);
    expect(sent).toEqual(['a', 'b']);
    for (let i = 0; i < 100; i++) await signals.tell(['a']);
    expect(sent).toEqual(['a', 'b']);
    await jest.advanceTimersByTimeAsync(250);
    expect(sent).toEqual(['a', 'b', 'a']);
    // Nothing was asked for during that second gap: no more signals, and the next is sent at once.
    await jest.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual(['a', 'b', 'a']);
    await signals.tell(['a']);
    expect(sent).toEqual(['a', 'b', 'a', 'a']);
  });

  it('keeps the gap after a signal sent late, too', async () => {
    const { signals, sent } = setUp();
    await signals.tell(['a']);
    await signals.tell(['a']);
    await jest.advanceTimersByTimeAsync(250);
    await signals.tell(['a']);
    await jest.advanceTimersByTimeAsync(100);
    expect(sent).toEqual(['a', 'a']);
    await jest.advanceTimersByTimeAsync(150);
    expect(sent).toEqual(['a', 'a', 'a']);
  });

  it('fails the call when a signal sent now fails, and tries the order again at the next call', async () => {
    let fail = true;
    const { signals, sent } = setUp(() =>
      fail ? Promise.reject(new Error('unreachable')) : Promise.resolve(),
    );
    await expect(signals.tell(['a', 'b'])).rejects.toThrow('unreachable');
    expect(sent).toEqual(['a']);
    fail = false;
    await signals.tell(['a', 'b']);
    expect(sent).toEqual(['a', 'a', 'b']);
  });

  it('hands the failure of a signal sent after its gap to onLateError, and forgets the order', async () => {
    let fail = false;
    const { signals, sent, late } = setUp(() =>
      fail ? Promise.reject(new Error('gone')) : Promise.resolve(),
    );
    await signals.tell(['a']);
    await signals.tell(['a']);
    fail = true;
    await jest.advanceTimersByTimeAsync(250);
    expect(late).toEqual(['a']);
    fail = false;
    await signals.tell(['a']);
    expect(sent).toEqual(['a', 'a', 'a']);
  });
});
