import { RetryLater } from '../errors/domain.error';
import { WorkLimit } from './heavy-work';

/** A piece of work that runs until the test lets it finish. */
function held() {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  let started = false;
  const done = new Promise<string>((resolve, reject) => {
    finish = () => resolve('done');
    fail = reject;
  });
  return {
    work: () => {
      started = true;
      return done;
    },
    get started() {
      return started;
    },
    finish,
    fail,
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('a limit on concurrent work', () => {
  it('runs up to its concurrency, queues up to its queue, and refuses the rest with Retry-After', async () => {
    const limit = new WorkLimit(2, 1);
    const pieces = [held(), held(), held()];
    const results = pieces.map((piece) => limit.run(piece.work));
    await settle();
    expect(pieces.map((piece) => piece.started)).toEqual([true, true, false]);
    const refused = await limit.run(() => Promise.resolve('never')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RetryLater);
    expect(refused).toMatchObject({ kind: 'unavailable', retryAfterSeconds: expect.any(Number) });
    expect((refused as RetryLater).statusCode).toBe(503);

    pieces[0]!.finish();
    expect(await results[0]).toBe('done');
    await settle();
    expect(pieces[2]!.started).toBe(true);
    pieces[1]!.finish();
    pieces[2]!.finish();
    expect(await Promise.all(results)).toEqual(['done', 'done', 'done']);
  });

  it('frees the place of a piece that fails', async () => {
    const limit = new WorkLimit(1, 0);
    const failing = held();
    const result = limit.run(failing.work);
    await expect(limit.run(() => Promise.resolve('refused'))).rejects.toBeInstanceOf(RetryLater);
    failing.fail(new Error('the font is broken'));
    await expect(result).rejects.toThrow('the font is broken');
    expect(await limit.run(() => Promise.resolve('next'))).toBe('next');
  });

  it('starts queued work in the order it arrived', async () => {
    const limit = new WorkLimit(1, 3);
    const first = held();
    const order: number[] = [];
    const running = limit.run(first.work);
    const queued = [1, 2, 3].map((n) =>
      limit.run(() => {
        order.push(n);
        return Promise.resolve(n);
      }),
    );
    first.finish();
    await Promise.all([running, ...queued]);
    expect(order).toEqual([1, 2, 3]);
  });
});
