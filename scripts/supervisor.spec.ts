import { spawn } from 'node:child_process';
import { backoffMs, superviseProcess, watchService } from './supervisor';

describe('supervisor', () => {
  it('doubles the pause between restarts up to its ceiling', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffMs(attempt))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
  });

  it('restarts a process that dies and logs each exit, but not one it was asked to stop', async () => {
    const lines: string[] = [];
    const supervised = superviseProcess(
      'sleeper',
      () => spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']),
      (line) => lines.push(line),
      { baseMs: 50 },
    );
    const first = supervised.current();
    await new Promise((resolve) => first.once('spawn', resolve));
    first.kill('SIGKILL');
    while (supervised.current() === first) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines[0]).toMatch(
      /^the sleeper \(pid \d+\) exited unexpectedly \(SIGKILL\); restarting it in 0.05s \(restart 1\)$/,
    );
    expect(lines[1]).toBe(`restarted the sleeper (pid ${supervised.current().pid})`);
    await supervised.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(lines).toHaveLength(2);
  });

  it('gives up on a dependency only after every restart attempt failed, and says why', async () => {
    let restarts = 0;
    const reason = await new Promise<string>((resolve) => {
      watchService(
        {
          name: 'the database',
          alive: () => Promise.resolve(false),
          restart: () => {
            restarts++;
            return Promise.reject(new Error('port taken'));
          },
        },
        { intervalMs: 5, failures: 2, attempts: 2, log: () => undefined, giveUp: resolve },
      );
    });
    expect(restarts).toBe(2);
    expect(reason).toBe('the database could not be brought back after 2 attempts: port taken');
  });
});
