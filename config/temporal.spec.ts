import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from './config';
import { scratchDir } from '../test/support/scratch';

/** A folder with a temporal.toml, PEM-looking files, and a home whose default profile points elsewhere. */
function workspace() {
  const dir = scratchDir('oms-temporal-config-');
  const file = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const ca = file('ca.pem', 'CA');
  const cert = file('client.pem', 'CERT');
  const key = file('client.key', 'KEY');
  const toml = file(
    'temporal.toml',
    `[profile.default]
address = "dev.example:7233"

[profile.prod]
address = "prod.example:7233"
namespace = "orders-prod"

[profile.prod.tls]
server_ca_cert_path = "${ca}"
server_name = "temporal.internal"
client_cert_path = "${cert}"
client_key_path = "${key}"

[profile.cloud]
address = "orders.a1b2c.tmprl.cloud:7233"
namespace = "orders.a1b2c"
api_key = "cloud-key-0123456789"
`,
  );
  const home = path.join(dir, 'home');
  mkdirSync(path.join(home, '.config', 'temporalio'), { recursive: true });
  writeFileSync(
    path.join(home, '.config', 'temporalio', 'temporal.toml'),
    '[profile.default]\naddress = "someones-production:7233"\nnamespace = "not-for-tests"\n',
  );
  return { dir, ca, cert, key, toml, home };
}

describe('the Temporal connection settings', () => {
  it('start a dev server and read no file when none of TEMPORAL_ADDRESS, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE is set', () => {
    const { home } = workspace();
    const { temporal } = loadConfig({ HOME: home, TEMPORAL_API_KEY: 'ignored-here' }, false);
    expect(temporal.devServer).toEqual({ port: 7233, uiPort: 8233 });
    expect(temporal.address).toBe('127.0.0.1:7233');
    expect(temporal.namespace).toBe('default');
    expect(temporal.connection).toMatchObject({ tls: false, apiKey: undefined });
  });

  it('take a profile of a temporal.toml: address, namespace, server CA and name, client certificate', () => {
    const { toml, home } = workspace();
    const { temporal } = loadConfig(
      { HOME: home, TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod' },
      false,
    );
    expect(temporal.devServer).toBeNull();
    expect(temporal.address).toBe('prod.example:7233');
    expect(temporal.namespace).toBe('orders-prod');
    expect(temporal.connection.tls).toEqual({
      serverNameOverride: 'temporal.internal',
      serverRootCACertificate: Buffer.from('CA'),
      clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') },
    });
    expect(temporal.connection.source).toContain(`profile "prod" of ${toml}`);
    expect(temporal.persistence).toEqual({ kind: 'none' });
  });

  it('let the TEMPORAL_* variables override the profile, as the temporal CLI does', () => {
    const { toml, home } = workspace();
    const { temporal } = loadConfig(
      {
        HOME: home,
        TEMPORAL_CONFIG_FILE: toml,
        TEMPORAL_PROFILE: 'prod',
        TEMPORAL_ADDRESS: 'other.example:7233',
        TEMPORAL_NAMESPACE: 'orders-eu',
        TEMPORAL_TLS_SERVER_NAME: 'override.internal',
      },
      false,
    );
    expect(temporal.address).toBe('other.example:7233');
    expect(temporal.namespace).toBe('orders-eu');
    expect(temporal.connection.tls).toMatchObject({ serverNameOverride: 'override.internal' });
  });

  it('turn TLS on for an API key (Temporal Cloud)', () => {
    const { toml } = workspace();
    const { temporal } = loadConfig({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'cloud' }, false);
    expect(temporal.connection).toMatchObject({ apiKey: 'cloud-key-0123456789', tls: {} });
    expect(temporal.namespace).toBe('orders.a1b2c');
  });

  it('read only the variables when the file is turned off, whatever the home folder holds', () => {
    const { home } = workspace();
    const { temporal } = loadConfig({ HOME: home, TEMPORAL_ADDRESS: 'test.example:7233' }, false, {
      temporalConfigFile: false,
    });
    expect(temporal.address).toBe('test.example:7233');
    expect(temporal.namespace).toBe('default');
  });

  it('read client certificates named by variables, and refuse one without its key', () => {
    const { ca, cert, key } = workspace();
    const env = {
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca,
      TEMPORAL_TLS_CLIENT_CERT_PATH: cert,
    };
    expect(() => loadConfig(env, false)).toThrow(/TEMPORAL_TLS_CLIENT_KEY_PATH/);
    const { temporal } = loadConfig({ ...env, TEMPORAL_TLS_CLIENT_KEY_PATH: key }, false);
    expect(temporal.connection.files).toEqual({ serverCa: ca, clientCert: cert, clientKey: key });
  });

  it.each([
    [
      'an unreadable certificate file, naming it',
      () => ({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/nonexistent/ca.pem' }),
      /cannot read the Temporal server CA certificate \/nonexistent\/ca\.pem \(TEMPORAL_TLS_SERVER_CA_CERT_PATH.*ENOENT/,
    ],
    [
      'a config file that is not there',
      () => ({ TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml' }),
      /TEMPORAL_CONFIG_FILE names a file that cannot be read: ENOENT/,
    ],
    [
      'a profile the file lacks',
      (toml: string) => ({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'staging' }),
      /cannot read the Temporal settings .*Profile 'staging' not found/,
    ],
    [
      'a profile with no address',
      (toml: string) => {
        const file = path.join(path.dirname(toml), 'empty.toml');
        writeFileSync(file, '[profile.empty]\nnamespace = "x"\n');
        return { TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'empty' };
      },
      /no Temporal address in/,
    ],
    [
      'a key the file format does not know',
      (toml: string) => {
        const file = path.join(path.dirname(toml), 'typo.toml');
        writeFileSync(file, '[profile.default]\naddress = "t:7233"\n[profile.default.tls]\nca_path = "x"\n');
        return { TEMPORAL_CONFIG_FILE: file };
      },
      /unrecognized in profile\.default\.tls: ca_path/,
    ],
  ])('refuse %s', (_what, env: (toml: string) => Record<string, string>, message) => {
    const settings = env(workspace().toml);
    expect(() => loadConfig(settings, false)).toThrow(ConfigError);
    expect(() => loadConfig(settings, false)).toThrow(message);
  });
});
