import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../config/config';
import { AuthService } from './auth.service';
import { scratchDir } from '../../test/support/scratch';

describe('the authentication service at start', () => {
  it('refuses an empty token-secret file in the data folder, naming it, rather than sign with an empty key', () => {
    const dataDir = scratchDir('token-secret-');
    writeFileSync(path.join(dataDir, 'token-secret'), '', { mode: 0o600 });
    const config = loadConfig({ OMS_DATA_DIR: dataDir, DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db' });
    // The constructor reads the key before anything touches the database.
    const nothing = undefined as never;
    expect(() => new AuthService(config, nothing, nothing, nothing, nothing, nothing)).toThrow(
      /token-secret.* is empty/,
    );
  });
});
