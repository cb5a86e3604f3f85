import { createServer } from 'node:net';

function tryPort(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Ports this process handed out, or was told to keep clear of: not handed out (again). A port drawn free
 * is bound only later, so two draws in a row could give the same one, and two services then met on it.
 */
const handedOut = new Set<number>();

/** Ports this process uses that freePort must not hand out (those it configured itself, say). */
export function keepClear(ports: Iterable<number>): void {
  for (const port of ports) handedOut.add(port);
}

/**
 * A TCP port on loopback that nothing listens on right now and this process has not handed out before.
 * Drawn below Linux's ephemeral range (32768-60999), so the outgoing connections of everything running
 * meanwhile cannot take it before use. `alsoFree` asks for ports at these distances from it to be free as
 * well (and hands them out with it): `npm start` gives its n-th worker the worker's ports plus 2n.
 */
export async function freePort(options: { alsoFree?: readonly number[] } = {}): Promise<number> {
  const offsets = [0, ...(options.alsoFree ?? [])];
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const ports = offsets.map((offset) => port + offset);
    if (ports.some((each) => handedOut.has(each))) continue;
    if (!(await Promise.all(ports.map(tryPort))).every(Boolean)) continue;
    keepClear(ports);
    return port;
  }
  throw new Error('no free port between 20000 and 32000');
}
