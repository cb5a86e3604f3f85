/**
 * The product on secured services, as on a cluster: Temporal reached only through an endpoint that requires
 * TLS and a client certificate (haproxy in front of the suite's frontend, with a CA made for this file), and
 * a PostgreSQL that refuses plaintext and whose certificate is checked (sslmode=verify-full). Each wrong
 * setting is refused at start with a message that says which side refused what, and which setting to fix.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/config';
import { checkPostgresTls } from '../db/postgres-check';
import { createBackup } from '../ops/backup';
import { connectClient, connectNative } from '../ops/temporal-connection';
import { orderWorkflowId } from '../workflows/order.definitions';
import { appDatabaseUrl } from './support/app-role';
import { seedCatalogue } from './support/fixtures';
import { startMutualTlsProxy, type TlsEndpoint } from './support/haproxy';
import { placeOrder, type OrderBody } from './support/orders';
import { freePort } from './support/ports';
import { ownTaskQueue, startStack } from './support/stack';
import type { TestCertificates } from './support/tls';
import { scratchDir } from './support/scratch';

const dist = path.resolve(__dirname, '..', 'dist');

/** The run's test CA and certificates, and the PostgreSQL that serves TLS only (global setup). */
const certificates = JSON.parse(process.env.OMS_TEST_CERTIFICATES!) as TestCertificates;
const postgres = { url: process.env.OMS_TEST_TLS_DATABASE_URL! };
let temporal: TlsEndpoint;

beforeAll(async () => {
  // An endpoint of this file's own in front of the frontend (in the PostgreSQL-backed stage the suite's
  // endpoint is one too, but this file must not depend on the stage).
  temporal = await startMutualTlsProxy(process.env.OMS_TEST_TEMPORAL_PLAIN_ADDRESS!, certificates);
});

afterAll(async () => {
  await temporal?.stop();
});

/** The TEMPORAL_* variables of a client holding the test CA's client certificate. */
function temporalEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.ca,
    TEMPORAL_TLS_SERVER_NAME: 'localhost',
    TEMPORAL_TLS_CLIENT_CERT_PATH: certificates.client.cert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: certificates.client.key,
    ...overrides,
  };
}

function settings(env: Record<string, string>) {
  return loadConfig(env, false, { temporalConfigFile: false }).temporal;
}

/** The PostgreSQL URL with a CA of our choice in place of the right one. */
function withRootCert(url: string, ca: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('sslrootcert', ca);
  return parsed.toString();
}

/** Runs a compiled entry point until it exits; its exit code and everything it printed. */
async function runToExit(entry: string, env: Record<string, string>) {
  const file = path.join(dist, entry);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  const child = spawn(process.execPath, [file], {
    env: {
      PATH: process.env.PATH,
      OMS_DATA_DIR: scratchDir('oms-refused-'),
      OMS_API_PORT: String(await freePort()),
      OMS_WORKER_PORT: String(await freePort()),
      OMS_WORKER_SDK_METRICS_PORT: String(await freePort()),
      OMS_LOG_FORMAT: 'json',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return { code, output };
}

describe('an order on Temporal with client certificates and PostgreSQL over verified TLS', () => {
  it('travels created → processing → shipped → completed, and its database is backed up over TLS', async () => {
    const stack = await startStack({
      env: {
        ...temporalEnv(),
        DATABASE_OWNER_URL: postgres.url,
        DATABASE_URL: appDatabaseUrl(postgres.url),
        ...ownTaskQueue('secured'),
      },
    });
    let orderId: string | undefined;
    try {
      // Every connection of the ORM's pools goes over TLS: the server says so for the session.
      const [session] = await stack.orm.em
        .fork()
        .getConnection()
        .execute<{ ssl: boolean }[]>('select ssl from pg_stat_ssl where pid = pg_backend_pid()');
      expect(session?.ssl).toBe(true);
      const staff = await stack.client(['staff'], 'secured-clerk');
      const { customerId, skus } = await seedCatalogue(staff, [{ unitPrice: 2500, stockOnHand: 10 }]);
      const order = await placeOrder(staff, customerId, [{ sku: skus[0]!, quantity: 2 }]);
      orderId = order.id;
      expect(order).toMatchObject({ status: 'created', awaiting: 'approval' });
      const approved = await staff.post<OrderBody>(`/api/orders/${order.id}/approve`, {});
      expect(approved.body).toMatchObject({ status: 'processing', awaiting: 'shipment' });
      const shipped = await staff.post<OrderBody>(`/api/orders/${order.id}/ship`, {
        carrier: 'SF',
        trackingNumber: 'SF-TLS-1',
      });
      expect(shipped.body.status).toBe('shipped');
      const completed = await staff.post<OrderBody>(`/api/orders/${order.id}/complete`, {});
      expect(completed.body).toMatchObject({ status: 'completed', awaiting: null });
      await stack.temporal.workflow.getHandle(orderWorkflowId(order.id)).result();
      const [row] = await stack.orm.em
        .fork()
        .getConnection()
        .execute<{ status: string }[]>('select status from orders where id = ?', [order.id]);
      expect(row?.status).toBe('completed');

      // pg_dump reads the same TLS settings (PGSSLMODE, PGSSLROOTCERT) from the connection string.
      const backup = await createBackup(
        { databaseUrl: stack.config.databaseUrl, temporal: { kind: 'none' }, dir: stack.config.backup.dir },
        { trigger: 'test', temporalServer: null },
      );
      expect(backup.manifest.parts.map((part) => part.role)).toEqual(['app']);
    } finally {
      // The order's row lives in this file's own PostgreSQL, its workflow in the suite's shared Temporal:
      // delete the workflow, so that no other file finds an order workflow without its row.
      if (orderId) {
        await stack.temporal.workflowService.deleteWorkflowExecution({
          namespace: stack.config.temporal.namespace,
          workflowExecution: { workflowId: orderWorkflowId(orderId) },
        });
      }
      await stack.close();
    }
  }, 120_000);
});

describe('a Temporal endpoint that requires a client certificate', () => {
  it('stops a worker started without one, saying what to set', async () => {
    const {
      TEMPORAL_TLS_CLIENT_CERT_PATH: _cert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: _key,
      ...noClientCertificate
    } = temporalEnv();
    const { code, output } = await runToExit('worker/main.js', {
      ...noClientCertificate,
      // The suite's own PostgreSQL as its owner (this file creates no application role there).
      DATABASE_URL: process.env.OMS_TEST_DATABASE_URL!,
    });
    expect(code).toBe(1);
    expect(output).toMatch(
      /Temporal at 127\.0\.0\.1:\d+ refused the TLS handshake: the server requires a client certificate and none is configured: set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH/,
    );
  }, 60_000);

  it('refuses a client certificate signed by another CA, naming the file', async () => {
    const other = settings(
      temporalEnv({
        TEMPORAL_TLS_CLIENT_CERT_PATH: certificates.otherClient.cert,
        TEMPORAL_TLS_CLIENT_KEY_PATH: certificates.otherClient.key,
      }),
    );
    await expect(connectNative(other)).rejects.toThrow(
      `refused the TLS handshake: the server refused the client certificate ${certificates.otherClient.cert}`,
    );
    await expect(connectClient(other, { connectTimeout: '2s' })).rejects.toThrow(
      /not signed by a CA the server trusts/,
    );
  });

  it('refuses a server whose certificate the configured CA did not sign', async () => {
    const wrongCa = settings(temporalEnv({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: certificates.otherCa }));
    await expect(connectNative(wrongCa)).rejects.toThrow(
      `the server's certificate is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE): the CA in ${certificates.otherCa} did not sign it`,
    );
  });

  it('tells a plaintext client that the endpoint expects TLS', async () => {
    const plaintext = settings({ TEMPORAL_ADDRESS: temporal.address });
    await expect(connectClient(plaintext, { connectTimeout: '2s' })).rejects.toThrow(
      /expects TLS: set TEMPORAL_TLS=true/,
    );
  });

  it('stops the API at start when the namespace does not exist', async () => {
    const { code, output } = await runToExit('api/main.js', {
      ...temporalEnv({ TEMPORAL_NAMESPACE: 'no-such-namespace' }),
      // The suite's own PostgreSQL as its owner (this file creates no application role there).
      DATABASE_URL: process.env.OMS_TEST_DATABASE_URL!,
    });
    expect(code).toBe(1);
    expect(output).toMatch(/the Temporal namespace "no-such-namespace" does not exist at 127\.0\.0\.1:\d+/);
  }, 60_000);
});

describe('a PostgreSQL that requires TLS', () => {
  it('stops a worker whose CA did not sign the server certificate, saying so', async () => {
    const { code, output } = await runToExit('worker/main.js', {
      ...temporalEnv(),
      DATABASE_URL: withRootCert(appDatabaseUrl(postgres.url), certificates.otherCa),
    });
    expect(code).toBe(1);
    expect(output).toMatch(
      /PostgreSQL refused the TLS connection of DATABASE_URL: the server's certificate is not signed by the CA in sslrootcert/,
    );
  }, 60_000);

  it('refuses a plaintext connection string, saying TLS is required', async () => {
    const plaintext = new URL(postgres.url);
    plaintext.search = '';
    await expect(checkPostgresTls(plaintext.toString(), 'DATABASE_OWNER_URL')).rejects.toThrow(
      /PostgreSQL refused the TLS connection of DATABASE_OWNER_URL: the server requires TLS/,
    );
  });
});
