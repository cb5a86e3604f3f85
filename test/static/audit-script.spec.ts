import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** `scripts/audit.sh`, with the advisory service out of reach (a registry address nothing listens on). */
function auditWithoutRegistry(env: Record<string, string> = {}) {
  const result = spawnSync('bash', [path.join(__dirname, '..', '..', 'scripts', 'audit.sh')], {
    cwd: path.join(__dirname, '..', '..'),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_fetch_retries: '0',
      ...env,
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('scripts/audit.sh', () => {
  it('fails when the advisory service cannot be reached: no answer is no check', () => {
    const { status, output } = auditWithoutRegistry();
    expect(status).not.toBe(0);
    expect(output).toMatch(/could not be reached/);
  });

  it('passes without the advisory service only when told to, and says that nothing was checked', () => {
    const { status, output } = auditWithoutRegistry({ OMS_AUDIT_OFFLINE: '1' });
    expect(status).toBe(0);
    expect(output).toMatch(/NOT checked/);
  });
});
