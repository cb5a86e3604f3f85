/**
 * Every Temporal connection the product opens (API, workers, scripts, tests) is made here from the
 * configuration, so TLS, client certificates, API keys and headers apply to all of them alike. When a
 * connection fails, the reason is worked out and said plainly: a refused TLS handshake (which side's
 * certificate, which file), a missing namespace, refused credentials, or nothing listening.
 */
import { Connection, type ConnectionOptions, type TLSConfig } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import { isIP } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions as TlsOptions } from 'node:tls';
import type { AppConfig } from '../config/config';
import { TemporalConnectionError } from './temporal-connection-error';

export { TemporalConnectionError };

type TemporalSettings = Pick<AppConfig['temporal'], 'address' | 'namespace' | 'connection'>;

/** The options of the SDK's client connection (the API, scripts, activities that signal). */
export function clientConnectionOptions(temporal: TemporalSettings): ConnectionOptions {
  const { tls, apiKey, metadata } = temporal.connection;
  return {
    address: temporal.address,
    tls,
    ...(apiKey ? { apiKey } : {}),
    ...(Object.keys(metadata).length ? { metadata } : {}),
  };
}

/** The options of the worker's native connection. */
export function nativeConnectionOptions(temporal: TemporalSettings): NativeConnectionOptions {
  const { tls, apiKey, metadata } = temporal.connection;
  return {
    address: temporal.address,
    tls,
    ...(apiKey ? { apiKey } : {}),
    ...(Object.keys(metadata).length ? { metadata } : {}),
  };
}

/** A client connection, checked: the namespace exists and the credentials are accepted. */
export async function connectClient(
  temporal: TemporalSettings,
  extra: Partial<ConnectionOptions> = {},
): Promise<Connection> {
  let connection: Connection;
  try {
    connection = await Connection.connect({
      connectTimeout: '10s',
      ...clientConnectionOptions(temporal),
      ...extra,
    });
  } catch (error) {
    throw await explainTemporalFailure(temporal, error);
  }
  try {
    await checkNamespace(temporal, connection.workflowService);
  } catch (error) {
    await connection.close();
    throw error;
  }
  return connection;
}

/** A worker's native connection, checked like the client's. */
export async function connectNative(temporal: TemporalSettings): Promise<NativeConnection> {
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect(nativeConnectionOptions(temporal));
  } catch (error) {
    throw await explainTemporalFailure(temporal, error);
  }
  try {
    await checkNamespace(temporal, connection.workflowService);
  } catch (error) {
    await connection.close();
    throw error;
  }
  return connection;
}

/**
 * The API's start-up check: a refusal (wrong certificate, missing namespace, refused credentials) throws;
 * a Temporal that does not answer yet returns its message, and the API starts anyway (it answers 503 for
 * what needs Temporal until it is back).
 */
export async function checkTemporal(temporal: TemporalSettings): Promise<string | null> {
  try {
    const connection = await connectClient(temporal, { connectTimeout: '5s' });
    await connection.close();
    return null;
  } catch (error) {
    if (error instanceof TemporalConnectionError && error.kind === 'unreachable') return error.message;
    throw error;
  }
}

interface WorkflowServiceLike {
  describeNamespace(request: { namespace: string }): Promise<unknown>;
}

const GRPC_NOT_FOUND = 5;
const GRPC_PERMISSION_DENIED = 7;
const GRPC_UNAUTHENTICATED = 16;

async function checkNamespace(temporal: TemporalSettings, service: WorkflowServiceLike): Promise<void> {
  try {
    await service.describeNamespace({ namespace: temporal.namespace });
  } catch (error) {
    throw await explainTemporalFailure(temporal, error);
  }
}

function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Turns a failed connection or first call into a TemporalConnectionError that says what is wrong. */
export async function explainTemporalFailure(
  temporal: TemporalSettings,
  error: unknown,
): Promise<TemporalConnectionError> {
  if (error instanceof TemporalConnectionError) return error;
  const { address, namespace, connection } = temporal;
  const code = grpcCode(error);
  if (code === GRPC_NOT_FOUND && /namespace/i.test(messageOf(error)))
    return new TemporalConnectionError(
      `the Temporal namespace "${namespace}" does not exist at ${address} (TEMPORAL_NAMESPACE or the profile's namespace; settings from ${connection.source})`,
      'refused',
    );
  if (code === GRPC_UNAUTHENTICATED || code === GRPC_PERMISSION_DENIED)
    return new TemporalConnectionError(
      `Temporal at ${address} refused this client's credentials for namespace "${namespace}" (${connection.apiKey ? 'TEMPORAL_API_KEY' : 'client certificate'}): ${messageOf(error)}`,
      'refused',
    );
  const probe = await probeHandshake(address, connection.tls);
  const what = connection.tls
    ? describeTlsFailure(temporal, probe)
    : describePlaintextFailure(address, probe);
  return (
    what ??
    new TemporalConnectionError(`cannot reach Temporal at ${address}: ${messageOf(error)}`, 'unreachable')
  );
}

/** What a TLS handshake of our own, with the same settings, ran into. */
interface Probe {
  /** `connect`: no TCP connection; `handshake`: refused during or right after the handshake; `ok`. */
  stage: 'connect' | 'handshake' | 'ok';
  code: string | undefined;
  message: string;
  alpn: string | false | null;
}

function hostAndPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(address.slice(at + 1)) };
}

/**
 * Opens a TLS connection as the SDK would (ALPN h2, the configured CA, client certificate and server name)
 * and waits briefly after the handshake: with TLS 1.3 a server that refuses the client's certificate says
 * so only then. With `tls: false`, checks whether the endpoint expects TLS instead.
 */
function probeHandshake(address: string, tls: TLSConfig | false): Promise<Probe> {
  const { host, port } = hostAndPort(address);
  const servername = tls && tls.serverNameOverride ? tls.serverNameOverride : isIP(host) ? undefined : host;
  const options: TlsOptions = {
    host,
    port,
    ALPNProtocols: ['h2'],
    ...(servername ? { servername } : {}),
    ...(tls
      ? {
          ...(tls.serverRootCACertificate ? { ca: Buffer.from(tls.serverRootCACertificate) } : {}),
          ...(tls.clientCertPair
            ? { cert: Buffer.from(tls.clientCertPair.crt), key: Buffer.from(tls.clientCertPair.key) }
            : {}),
          rejectUnauthorized: true,
        }
      : { rejectUnauthorized: false }),
  };
  return new Promise<Probe>((resolve) => {
    let handshaken = false;
    let done = false;
    const finish = (probe: Probe) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(probe);
    };
    const socket = tlsConnect(options, () => {
      handshaken = true;
      // A refusal of the client's certificate arrives as an alert after the client's side is done.
      setTimeout(
        () =>
          finish({ stage: 'ok', code: undefined, message: 'handshake accepted', alpn: socket.alpnProtocol }),
        750,
      );
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const connectFailed =
        !handshaken && ['ECONNREFUSED', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT'].includes(error.code ?? '');
      finish({
        stage: connectFailed ? 'connect' : 'handshake',
        code: error.code,
        message: error.message,
        alpn: null,
      });
    });
    socket.on('close', () =>
      finish({
        stage: 'handshake',
        code: 'ECONNRESET',
        message: 'the server closed the connection',
        alpn: null,
      }),
    );
    const timer = setTimeout(
      () => finish({ stage: 'connect', code: 'ETIMEDOUT', message: 'no answer within 5 s', alpn: null }),
      5000,
    );
  });
}

const SERVER_CERT_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
]);

function describeTlsFailure(temporal: TemporalSettings, probe: Probe): TemporalConnectionError | null {
  const { address, connection } = temporal;
  const { files } = connection;
  const refused = (message: string) =>
    new TemporalConnectionError(
      `Temporal at ${address} refused the TLS handshake: ${message} (settings from ${connection.source})`,
      'refused',
    );
  if (probe.stage === 'connect') return null;
  const code = probe.code ?? '';
  if (SERVER_CERT_CODES.has(code))
    return refused(
      `the server's certificate is not trusted (${code}): ${
        files.serverCa
          ? `the CA in ${files.serverCa} did not sign it`
          : 'no CA this system trusts signed it; set TEMPORAL_TLS_SERVER_CA_CERT_PATH to the CA that did'
      }`,
    );
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return refused(
      `the server's certificate is not for the name this client expects (${probe.message}); set TEMPORAL_TLS_SERVER_NAME to a name in it`,
    );
  if (/CERTIFICATE_REQUIRED/i.test(code) || /certificate required/i.test(probe.message))
    return connection.tls && connection.tls.clientCertPair
      ? refused(`the server did not accept the client certificate ${files.clientCert ?? '(inline data)'}`)
      : refused(
          "the server requires a client certificate and none is configured: set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH (or the profile's client_cert_path and client_key_path)",
        );
  if (
    /ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|CERTIFICATE_EXPIRED|ACCESS_DENIED|DECRYPT_ERROR)/i.test(
      code,
    )
  )
    return refused(
      `the server refused the client certificate ${files.clientCert ?? '(inline data)'} (${code.replace(/^ERR_SSL_/, '')}): it is not signed by a CA the server trusts, or it has expired`,
    );
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|UNKNOWN_PROTOCOL/i.test(code))
    return refused(
      'the endpoint does not speak TLS; unset TEMPORAL_TLS and the TLS settings, or use its TLS port',
    );
  if (probe.stage === 'ok' && probe.alpn !== 'h2')
    return refused(
      'the endpoint does not offer HTTP/2 (ALPN h2), which gRPC needs; is it a Temporal frontend?',
    );
  if (probe.stage === 'handshake') return refused(`${probe.message}${code ? ` (${code})` : ''}`);
  return null;
}

function describePlaintextFailure(address: string, probe: Probe): TemporalConnectionError | null {
  // A plaintext client hears nothing useful from a TLS endpoint; a handshake of our own tells it is one.
  if (probe.stage === 'ok' || /ALERT/i.test(probe.code ?? ''))
    return new TemporalConnectionError(
      `Temporal at ${address} expects TLS: set TEMPORAL_TLS=true and TEMPORAL_TLS_SERVER_CA_CERT_PATH (and a client certificate or TEMPORAL_API_KEY, as the cluster requires)`,
      'refused',
    );
  return null;
}
