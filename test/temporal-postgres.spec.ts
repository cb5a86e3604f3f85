import { createServer, type Socket } from 'node:net';
import { siblingDatabaseUrl } from '../config/config';
import { startTemporalOnPostgres, type TemporalPostgresOptions } from '../scripts/temporal-postgres';
import { freePort } from './support/ports';
import { scratchDir } from './support/scratch';

/**
 * The Temporal server on PostgreSQL binds ports it drew free a moment before. In a fresh-clone CI run beside
 * another (2026-12-07), another process took one of them in between, the server exited at start-up
 * ("bind: address already in use") and the whole PostgreSQL-backed stage failed before its first test. A port
 * taken meanwhile now costs a start on other ports; a frontend port the caller chose stays theirs.
 *
 * Runs in the stage on the Temporal server on PostgreSQL (OMS_TEST_TEMPORAL=postgres), whose binaries that
 * stage has; the databases are the suite's PostgreSQL's, two of their own.
 */
const onPostgres = process.env.OMS_TEST_TEMPORAL === 'postgres' ? describe : describe.skip;

/** Listens on the port, as the other process did; what connects to it meanwhile is cut when it is let go. */
function hold(port: number): Promise<() => Promise<void>> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve(
        () =>
          new Promise<void>((closed) => {
            server.close(() => closed());
            for (const socket of sockets) socket.destroy();
          }),
      ),
    );
  });
}

onPostgres('the Temporal server on PostgreSQL, when a port it drew is taken', () => {
  let release: () => Promise<void>;
  let taken: number;
  const lines: string[] = [];
  const options = (): TemporalPostgresOptions => ({
    dir: scratchDir('temporal-ports-'),
    namespace: 'default',
    databaseUrl: siblingDatabaseUrl(process.env.OMS_TEST_DATABASE_URL!, 'temporal_ports'),
    visibilityUrl: siblingDatabaseUrl(process.env.OMS_TEST_DATABASE_URL!, 'temporal_ports_visibility'),
    serverBinary: process.env.OMS_TEMPORAL_SERVER_BIN,
    sqlToolBinary: process.env.OMS_TEMPORAL_SQL_TOOL_BIN,
    log: (line) => lines.push(line),
  });

  beforeEach(async () => {
    lines.length = 0;
    taken = await freePort();
    release = await hold(taken);
  });
  afterEach(() => release());

  it('starts on other ports when another process bound one before it', async () => {
    // The first port drawn (the frontend's) is held by this test, as the other run held it in CI.
    let draws = 0;
    const server = await startTemporalOnPostgres({
      ...options(),
      freePort: () => (draws++ === 0 ? Promise.resolve(taken) : freePort()),
    });
    try {
      expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(server.address).not.toBe(`127.0.0.1:${taken}`);
      expect(lines).toContain(
        `port ${taken} was taken before the Temporal server bound it; starting it on other ports`,
      );
    } finally {
      await server.stop();
    }
  }, 180_000);

  it('fails plainly, without trying other ports, when the frontend port it was given is taken', async () => {
    await expect(startTemporalOnPostgres({ ...options(), port: taken })).rejects.toThrow(
      `listen tcp 127.0.0.1:${taken}: bind: address already in use`,
    );
    expect(lines.filter((line) => line.includes('starting it on other ports'))).toEqual([]);
  }, 180_000);
});
