/**
 * A real IMAP server for the inbound-mail tests and the benchmark's inbound flood: Debian's Dovecot, started
 * from a config of its own (a free loopback port, no TLS, one passwd-file user, the mail under a temporary
 * directory) and stopped after.
 * Dovecot refuses to run logins or mail as root, so logins run as `dovenull` and mail as `dovecot`, the users
 * Debian's package creates.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { freePort } from './ports';

export interface ImapServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** `imap://user:password@127.0.0.1:<port>/<folder>`. */
  url(folder?: string): string;
  stop(): Promise<void>;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

function idOf(name: string, field: 'u' | 'g'): number {
  return Number(execFileSync('id', [`-${field}`, name], { encoding: 'utf8' }).trim());
}

/** Starts Dovecot with one user; fails with its log when it does not come up within 15 seconds. */
export async function startImapServer(
  binary = process.env.OMS_DOVECOT_BIN || 'dovecot',
): Promise<ImapServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'oms-dovecot-'));
  // The login and mail processes run as other users: they must reach their files under it.
  chmodSync(dir, 0o755);
  const mail = path.join(dir, 'mail');
  mkdirSync(mail);
  const root = userInfo().uid === 0;
  const mailUser = root ? 'dovecot' : userInfo().username;
  if (root) chownSync(mail, idOf('dovecot', 'u'), idOf('dovecot', 'g'));
  const port = await freePort();
  const user = 'oms-inbound';
  const password = 'imap-test-password';
  writeFileSync(path.join(dir, 'users'), `${user}:{PLAIN}${password}\n`);
  const log = path.join(dir, 'dovecot.log');
  const config = path.join(dir, 'dovecot.conf');
  writeFileSync(
    config,
    [
      `base_dir = ${path.join(dir, 'run')}`,
      `state_dir = ${path.join(dir, 'state')}`,
      `log_path = ${log}`,
      'protocols = imap',
      'listen = 127.0.0.1',
      'ssl = no',
      // Loopback without TLS: the tests' credentials are not secrets.
      'disable_plaintext_auth = no',
      'auth_mechanisms = plain login',
      ...(root ? ['default_login_user = dovenull', 'default_internal_user = dovecot'] : []),
      `mail_uid = ${mailUser}`,
      `mail_gid = ${mailUser}`,
      'first_valid_uid = 1',
      `mail_location = maildir:${mail}/%u`,
      'service imap-login {',
      '  chroot =',
      '  inet_listener imap {',
      '    address = 127.0.0.1',
      `    port = ${port}`,
      '  }',
      '}',
      'service anvil {',
      '  chroot =',
      '}',
      'passdb {',
      '  driver = passwd-file',
      `  args = scheme=PLAIN username_format=%u ${path.join(dir, 'users')}`,
      '}',
      'userdb {',
      '  driver = static',
      `  args = uid=${mailUser} gid=${mailUser} home=${mail}/%u`,
      '}',
      '',
    ].join('\n'),
  );
  const child = spawn(binary, ['-F', '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 15_000;
  while (!(await answers(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      const logged = (() => {
        try {
          return readFileSync(log, 'utf8');
        } catch {
          return '';
        }
      })();
      throw new Error(`dovecot did not start: ${output}${logged}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const host = '127.0.0.1';
  return {
    host,
    port,
    user,
    password,
    url: (folder = 'INBOX') => `imap://${user}:${password}@${host}:${port}/${encodeURIComponent(folder)}`,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
