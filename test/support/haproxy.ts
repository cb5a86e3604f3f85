/**
 * A Temporal endpoint that requires TLS with a client certificate, as a secured cluster's frontend does:
 * Debian's haproxy in TCP mode terminates TLS (ALPN h2, client certificate verified against the test CA)
 * and passes the gRPC stream on to a plain Temporal frontend on loopback.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { freePort } from './ports';
import type { TestCertificates } from './tls';

export interface TlsEndpoint {
  /** host:port clients dial. */
  address: string;
  stop(): Promise<void>;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Starts haproxy in front of `backend` (host:port); fails with its output when it does not come up. */
export async function startMutualTlsProxy(
  backend: string,
  certificates: TestCertificates,
  binary = process.env.OMS_HAPROXY_BIN || 'haproxy',
): Promise<TlsEndpoint> {
  const port = await freePort();
  const bundle = path.join(certificates.dir, 'server-bundle.pem');
  writeFileSync(
    bundle,
    readFileSync(certificates.server.cert, 'utf8') + readFileSync(certificates.server.key, 'utf8'),
    { mode: 0o600 },
  );
  const config = path.join(certificates.dir, `haproxy-${port}.cfg`);
  // Long client and server timeouts: workers hold long polls (up to 70 s) open on these streams.
  writeFileSync(
    config,
    [
      'global',
      '  maxconn 2000',
      'defaults',
      '  mode tcp',
      '  timeout connect 5s',
      '  timeout client 10m',
      '  timeout server 10m',
      'frontend temporal_tls',
      `  bind 127.0.0.1:${port} ssl crt ${bundle} ca-file ${certificates.ca} verify required alpn h2`,
      '  default_backend temporal',
      'backend temporal',
      `  server frontend ${backend}`,
      '',
    ].join('\n'),
  );
  let output = '';
  const child = spawn(binary, ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-10_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) =>
      reject(new Error(`cannot run ${binary} (apt-get install haproxy): ${error.message}`)),
    );
  });
  await spawned;
  const deadline = Date.now() + 10_000;
  while (!(await answers(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`haproxy did not listen on 127.0.0.1:${port}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    address: `127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
