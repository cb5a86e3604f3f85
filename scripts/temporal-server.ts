/**
 * Finds, builds if need be, and runs the Temporal CLI dev server that backs the embedded setup and the
 * integration tests. Never a substitute for Temporal: when no binary can be had, this fails and says why.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { ORDER_AWAITING_KEY, ORDER_STATUS_KEY } from '../workflows/order.definitions';

/** Releases tried in order when building from source; later ones refuse `go install` (replace directives). */
export const TEMPORAL_CLI_VERSIONS = ['v1.5.1', 'v1.5.0', 'v1.4.1'];

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function goBinDir(): string | null {
  try {
    return path.join(execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim(), 'bin');
  } catch {
    return null;
  }
}

/** The `temporal` binary: the explicit setting, then PATH, then the Go bin folder; null when none is there. */
export function findTemporalBinary(explicit?: string): string | null {
  if (explicit) {
    if (!executable(explicit)) throw new Error(`OMS_TEMPORAL_BIN=${explicit} is not an executable file`);
    return explicit;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    if (executable(path.join(dir, 'temporal'))) return path.join(dir, 'temporal');
  }
  const goBin = goBinDir();
  return goBin && executable(path.join(goBin, 'temporal')) ? path.join(goBin, 'temporal') : null;
}

/**
 * Builds the CLI with `go install` when Go is there, trying each known-good release. Returns its path,
 * null when Go is absent, and throws with the build's output when every release fails to build.
 */
export function installTemporalBinary(log: (line: string) => void = console.log): string | null {
  const goBin = goBinDir();
  if (!goBin) return null;
  const failures: string[] = [];
  for (const version of TEMPORAL_CLI_VERSIONS) {
    log(`building the Temporal CLI ${version} with go install (the first build takes a few minutes)...`);
    try {
      execFileSync('go', ['install', `github.com/temporalio/cli/cmd/temporal@${version}`], {
        stdio: ['ignore', 'inherit', 'pipe'],
        encoding: 'utf8',
      });
      return path.join(goBin, 'temporal');
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      failures.push(`${version}: ${stderr.trim().split('\n').slice(-5).join('\n')}`);
    }
  }
  throw new Error(`could not build the Temporal CLI:\n${failures.join('\n')}`);
}

export interface TemporalDevServerOptions {
  /** Explicit binary path (OMS_TEMPORAL_BIN). */
  binary?: string;
  /** SQLite file that keeps workflows across restarts; in memory when absent. */
  dbFilename?: string;
  port?: number;
  /** Web UI port; no UI when absent. */
  uiPort?: number;
  namespace?: string;
  /** Build the binary with Go when none is found (the launcher does; tests expect .ci/run to have done it). */
  install?: boolean;
}

/**
 * Starts `temporal server start-dev` on loopback with the product's search attributes registered.
 * Falls back to the SDK's own download of the dev server when neither a binary nor Go is available.
 */
export async function startTemporalDevServer(
  options: TemporalDevServerOptions,
): Promise<TestWorkflowEnvironment> {
  let binary = findTemporalBinary(options.binary);
  if (!binary && options.install) binary = installTemporalBinary();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: binary ? { type: 'existing-path', path: binary } : { type: 'cached-download' },
      ip: '127.0.0.1',
      namespace: options.namespace ?? 'default',
      searchAttributes: [ORDER_STATUS_KEY, ORDER_AWAITING_KEY],
      ...(options.port ? { port: options.port } : {}),
      ...(options.dbFilename ? { dbFilename: options.dbFilename } : {}),
      ...(options.uiPort ? { ui: true, uiPort: options.uiPort } : { ui: false }),
      log: { format: 'pretty', level: 'error' },
    },
  });
}

/** `node dist/scripts/temporal-server.js --install`: prints the binary's path, building it if needed. */
function main(): void {
  const found = findTemporalBinary(process.env.OMS_TEMPORAL_BIN || undefined);
  const binary = found ?? (process.argv.includes('--install') ? installTemporalBinary() : null);
  if (!binary) {
    console.log(
      'no temporal binary and no Go toolchain: the SDK will download the dev server on first start',
    );
    return;
  }
  console.log(binary);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
