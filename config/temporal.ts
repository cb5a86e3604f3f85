/**
 * How the product reaches Temporal, read the way the `temporal` CLI reads it: `@temporalio/envconfig` takes
 * the `TEMPORAL_*` variables and the profiles of `temporal.toml` (TEMPORAL_CONFIG_FILE, else the user's
 * `~/.config/temporalio/temporal.toml`; TEMPORAL_PROFILE picks one), variables overriding the file.
 *
 * Only when one of TEMPORAL_ADDRESS, TEMPORAL_PROFILE or TEMPORAL_CONFIG_FILE is set is Temporal external;
 * otherwise `npm start` runs its own dev server and no file is read, so that a developer's own profile
 * (perhaps pointing at a production cluster) never steers `npm start` or the tests.
 */
import type { TLSConfig } from '@temporalio/client';
import {
  loadClientConfigProfile,
  type ClientConfigProfile,
  type ConfigDataSource,
} from '@temporalio/envconfig';
import { accessSync, constants, readFileSync } from 'node:fs';

/** The variables that make Temporal external (anything else alone keeps the embedded dev server). */
export const EXTERNAL_TEMPORAL_VARIABLES = ['TEMPORAL_ADDRESS', 'TEMPORAL_PROFILE', 'TEMPORAL_CONFIG_FILE'];

/** Everything a client or a worker needs to open its connection, besides the address and namespace. */
export interface TemporalConnectionSettings {
  /** false: plaintext (the embedded dev server, or TEMPORAL_TLS=false). */
  tls: TLSConfig | false;
  apiKey: string | undefined;
  /** gRPC headers sent with every call (TEMPORAL_GRPC_META_*, a profile's grpc_meta). */
  metadata: Record<string, string>;
  /** Where the settings came from, named in messages ("TEMPORAL_* variables", a profile of a file). */
  source: string;
  /** The files TLS material was read from, named when the server refuses it. */
  files: { serverCa: string | undefined; clientCert: string | undefined; clientKey: string | undefined };
}

export interface TemporalEndpoint {
  /** `host:port` of the frontend; null when the settings name none (the launcher's dev server then). */
  address: string | null;
  namespace: string | undefined;
  connection: TemporalConnectionSettings;
}

type Env = Record<string, string | undefined>;

/** Raised for a Temporal setting that cannot be used; the message names the variable or the file. */
export class TemporalSettingsError extends Error {}

const PLAINTEXT: TemporalConnectionSettings = {
  tls: false,
  apiKey: undefined,
  metadata: {},
  source: 'the dev server that npm start runs',
  files: { serverCa: undefined, clientCert: undefined, clientKey: undefined },
};

/** Whether the settings point at an external Temporal (see the module comment). */
export function isExternalTemporal(env: Env): boolean {
  return EXTERNAL_TEMPORAL_VARIABLES.some((name) => Boolean(env[name]));
}

/** The variables envconfig reads; an empty one counts as unset, as everywhere in the configuration. */
function definedOnly(env: Env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && (entry[1] !== '' || entry[0].startsWith('TEMPORAL_GRPC_META_')),
    ),
  );
}

function describeSource(env: Env, readFile: boolean): string {
  if (!readFile) return 'TEMPORAL_* variables';
  const profile = env.TEMPORAL_PROFILE || 'default';
  const file = env.TEMPORAL_CONFIG_FILE || '~/.config/temporalio/temporal.toml';
  return `TEMPORAL_* variables over profile "${profile}" of ${file}`;
}

/** Reads one piece of TLS material, naming the setting and the file when it cannot be read. */
function material(
  source: ConfigDataSource | undefined,
  what: string,
  settings: string,
): { data: Buffer | undefined; file: string | undefined } {
  if (!source) return { data: undefined, file: undefined };
  if ('data' in source) return { data: Buffer.from(source.data), file: undefined };
  try {
    return { data: readFileSync(source.path), file: source.path };
  } catch (error) {
    throw new TemporalSettingsError(
      `cannot read the Temporal ${what} ${source.path} (${settings}): ${(error as Error).message}`,
    );
  }
}

function toConnection(profile: ClientConfigProfile, source: string): TemporalConnectionSettings {
  const tls = profile.tls;
  const ca = material(
    tls?.serverCACert,
    'server CA certificate',
    'TEMPORAL_TLS_SERVER_CA_CERT_PATH or server_ca_cert_path',
  );
  const cert = material(
    tls?.clientCert,
    'client certificate',
    'TEMPORAL_TLS_CLIENT_CERT_PATH or client_cert_path',
  );
  const key = material(tls?.clientKey, 'client key', 'TEMPORAL_TLS_CLIENT_KEY_PATH or client_key_path');
  if (Boolean(cert.data) !== Boolean(key.data))
    throw new TemporalSettingsError(
      `a Temporal client certificate needs its key and a key its certificate (${source}): set both TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH`,
    );
  const files = { serverCa: ca.file, clientCert: cert.file, clientKey: key.file };
  // As envconfig decides: TLS when the profile has a TLS section (unless disabled) or an API key.
  const enabled = tls ? tls.disabled !== true : profile.apiKey !== undefined;
  return {
    tls: enabled
      ? {
          ...(tls?.serverName ? { serverNameOverride: tls.serverName } : {}),
          ...(ca.data ? { serverRootCACertificate: ca.data } : {}),
          ...(cert.data && key.data ? { clientCertPair: { crt: cert.data, key: key.data } } : {}),
        }
      : false,
    apiKey: profile.apiKey || undefined,
    metadata: profile.grpcMeta ?? {},
    source,
    files,
  };
}

/**
 * The external Temporal's settings, through envconfig; `readFile: false` reads the variables only (tests).
 * For the embedded dev server (no external variable set), plaintext and no file read.
 */
export function loadTemporalEndpoint(env: Env, options: { readFile?: boolean } = {}): TemporalEndpoint {
  if (!isExternalTemporal(env))
    return { address: null, namespace: env.TEMPORAL_NAMESPACE || undefined, connection: PLAINTEXT };
  const readFile = options.readFile !== false;
  const file = env.TEMPORAL_CONFIG_FILE;
  // envconfig treats a missing file as an empty one; a file named explicitly must be there.
  if (readFile && file) {
    try {
      accessSync(file, constants.R_OK);
    } catch (error) {
      throw new TemporalSettingsError(
        `TEMPORAL_CONFIG_FILE names a file that cannot be read: ${(error as Error).message}`,
      );
    }
  }
  const source = describeSource(env, readFile);
  let profile: ClientConfigProfile;
  try {
    profile = loadClientConfigProfile({
      overrideEnvVars: definedOnly(env),
      disableFile: !readFile,
      configFileStrict: true,
    });
  } catch (error) {
    throw new TemporalSettingsError(
      `cannot read the Temporal settings (${source}): ${(error as Error).message}`,
    );
  }
  const address = profile.address ?? null;
  if (address === null)
    throw new TemporalSettingsError(
      `no Temporal address in ${source}: set TEMPORAL_ADDRESS or the profile's address`,
    );
  return { address, namespace: profile.namespace || undefined, connection: toConnection(profile, source) };
}
