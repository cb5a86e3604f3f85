/**
 * What keeps `npm start` up when one of its processes dies: the worker and the API are restarted with
 * backoff for as long as it takes; PostgreSQL and Temporal are watched and brought back a few times, and
 * only when one of them cannot be brought back does the launcher stop, saying why.
 */
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

/** Delay before restart number `attempt` (1-based): 1 s, 2 s, 4 s, ... at most `maxMs`. */
export function backoffMs(attempt: number, baseMs = 1000, maxMs = 30_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** A process that ran this long before dying counts as healthy: its next restart starts the backoff over. */
export const HEALTHY_RUN_MS = 60_000;

export interface SupervisedProcess {
  /** The process running now (a new object after each restart). */
  current(): ChildProcess;
  /** Stops it for good: no restart after this. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export function stopProcess(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (exited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Runs `start()` and starts it again whenever the process exits on its own, after a growing pause; every
 * exit and restart is logged.
 */
export function superviseProcess(
  name: string,
  start: () => ChildProcess,
  log: (line: string) => void,
  options: { baseMs?: number; maxMs?: number } = {},
): SupervisedProcess {
  let stopped = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;
  let child: ChildProcess;
  const launch = () => {
    const startedAt = Date.now();
    child = start();
    const mine = child;
    mine.once('exit', (code, signal) => {
      if (stopped || mine !== child) return;
      attempt = Date.now() - startedAt >= HEALTHY_RUN_MS ? 1 : attempt + 1;
      const delay = backoffMs(attempt, options.baseMs, options.maxMs);
      log(
        `the ${name} (pid ${mine.pid}) exited unexpectedly (${signal ?? `code ${code}`}); ` +
          `restarting it in ${delay / 1000}s (restart ${attempt})`,
      );
      timer = setTimeout(() => {
        timer = null;
        if (stopped) return;
        launch();
        log(`restarted the ${name} (pid ${child.pid})`);
      }, delay);
    });
  };
  launch();
  return {
    current: () => child,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await stopProcess(child);
    },
  };
}

/** True when something accepts TCP connections on 127.0.0.1:port within `timeoutMs`. */
export function portAnswers(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface WatchedService {
  name: string;
  /** Does the service answer? */
  alive(): Promise<boolean>;
  /** Brings it back (stopping what is left of it first); throws when it cannot. */
  restart(): Promise<void>;
}

export interface WatchOptions {
  intervalMs?: number;
  /** Consecutive failed probes before the service counts as down. */
  failures?: number;
  /** Restart attempts before giving up. */
  attempts?: number;
  log: (line: string) => void;
  /** Called when the service could not be brought back; the launcher stops everything. */
  giveUp: (reason: string) => void;
}

/**
 * Probes a dependency every `intervalMs`; after `failures` misses in a row it restarts it, up to
 * `attempts` times with backoff, and calls `giveUp` with the last error when every attempt failed.
 * Returns the function that stops watching.
 */
export function watchService(service: WatchedService, options: WatchOptions): () => void {
  const intervalMs = options.intervalMs ?? 1000;
  const needed = options.failures ?? 3;
  const attempts = options.attempts ?? 5;
  let stopped = false;
  let misses = 0;
  let timer: NodeJS.Timeout | null = null;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const tick = async () => {
    if (stopped) return;
    misses = (await service.alive()) ? 0 : misses + 1;
    if (stopped) return;
    if (misses >= needed) {
      misses = 0;
      const down = Date.now();
      options.log(`${service.name} does not answer; restarting it`);
      let lastError = '';
      for (let attempt = 1; attempt <= attempts && !stopped; attempt++) {
        try {
          await service.restart();
          options.log(
            `${service.name} is back after ${((Date.now() - down) / 1000).toFixed(1)}s (attempt ${attempt})`,
          );
          lastError = '';
          break;
        } catch (error) {
          lastError = error instanceof Error ? error.message : String(error);
          options.log(`${service.name} did not come back (attempt ${attempt} of ${attempts}): ${lastError}`);
          if (attempt < attempts) await pause(backoffMs(attempt));
        }
      }
      if (lastError && !stopped) {
        options.giveUp(`${service.name} could not be brought back after ${attempts} attempts: ${lastError}`);
        return;
      }
    }
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  timer = setTimeout(() => void tick(), intervalMs);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
