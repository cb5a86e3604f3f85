import { createServer, type Server } from 'node:net';
import { freePort, keepClear } from './ports';

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function free(port: number): Promise<boolean> {
  return listen(port).then(
    (server) => new Promise<boolean>((resolve) => server.close(() => resolve(true))),
    () => false,
  );
}

/** Math.random giving these values in turn (ports counted from base): freePort draws 20000 + value * 12000. */
function drawing(base: number, ...offsets: number[]): void {
  const spy = jest.spyOn(Math, 'random');
  for (const offset of offsets) spy.mockReturnValueOnce((base + offset - 20000 + 0.5) / 12000);
}

/** A stretch of 40 ports that are free now (another run on this machine may use some of the range). */
async function freeStretch(): Promise<number> {
  for (;;) {
    const base = 20000 + Math.floor(Math.random() * 11900);
    const all = await Promise.all(Array.from({ length: 40 }, (_, offset) => free(base + offset)));
    if (all.every(Boolean)) return base;
  }
}

describe('freePort', () => {
  afterEach(() => jest.restoreAllMocks());

  let base: number;
  beforeEach(async () => {
    base = await freeStretch();
  });

  it('never hands out the same port twice, though nothing listens on it yet', async () => {
    drawing(base, 1, 1, 3);
    expect(await freePort()).toBe(base + 1);
    expect(await freePort()).toBe(base + 3);
  });

  it('passes over a port something listens on, and ports it was told to keep clear of', async () => {
    const held = await listen(base + 11);
    try {
      keepClear([base + 13]);
      drawing(base, 11, 13, 15);
      expect(await freePort()).toBe(base + 15);
    } finally {
      held.close();
    }
  });

  it('with alsoFree, finds a port whose neighbours at those distances are free too, and hands them all out', async () => {
    const held = await listen(base + 23);
    try {
      drawing(base, 21, 31);
      expect(await freePort({ alsoFree: [2] })).toBe(base + 31);
      // base + 33 went out with base + 31.
      drawing(base, 33, 35);
      expect(await freePort()).toBe(base + 35);
    } finally {
      held.close();
    }
  });
});
