/** `npm start` as a user runs it (the compiled launcher), for tests that need the whole product running. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './ports';

export const LAUNCHER = path.join(__dirname, '..', '..', 'dist', 'scripts', 'start.js');

export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs a compiled entry point (the launcher by default) with this environment. */
export function launch(env: NodeJS.ProcessEnv, entry = LAUNCHER, args: string[] = []): Running {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
  let output = '';
  const child = spawn(process.execPath, [entry, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function waitFor(running: Running, text: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!running.output().includes(text)) {
    if (running.child.exitCode !== null) throw new Error(`it exited early:\n${running.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs}ms:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Every port the launcher opens, moved to free ones, and the rest of the environment without externals. */
export async function launcherEnv(dataDir: string, extra: NodeJS.ProcessEnv = {}) {
  const ports = {
    api: await freePort(),
    pg: await freePort(),
    temporal: await freePort(),
    ui: await freePort(),
    worker: await freePort(),
    sdk: await freePort(),
  };
  const {
    DATABASE_URL: _db,
    TEMPORAL_ADDRESS: _address,
    TEMPORAL_PROFILE: _profile,
    TEMPORAL_CONFIG_FILE: _file,
    ...inherited
  } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    OMS_DATA_DIR: dataDir,
    OMS_API_PORT: String(ports.api),
    OMS_PG_PORT: String(ports.pg),
    OMS_TEMPORAL_PORT: String(ports.temporal),
    OMS_TEMPORAL_UI_PORT: String(ports.ui),
    OMS_WORKER_PORT: String(ports.worker),
    OMS_WORKER_SDK_METRICS_PORT: String(ports.sdk),
    OMS_LOG_FORMAT: 'json',
    ...extra,
  };
  return { env, ports };
}
