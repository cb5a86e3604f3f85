/**
 * `npm run admin:reset-password`: sets the password of user `admin` on purpose (a forgotten password, a
 * takeover), which a start never does once admin exists. The password is OMS_ADMIN_PASSWORD; without it
 * one is made up, printed once and kept in `<data>/admin-password` (owner-only). Admin is enabled and keeps
 * the admin role, its sessions end, and the change is in the audit log. In compose:
 * `docker compose run --rm api node dist/scripts/admin-reset-password.js`.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hashPassword } from '../api/auth/password';
import { loadConfig, type AppConfig } from '../config/config';
import { ormConfig } from '../db/mikro-orm.config';
import { UserRepository } from '../db/repositories';
import type { Actor } from '../domain/order';

/** Who the audit log names for the reset. */
const RESET: Actor = { id: 'system', username: 'admin:reset-password', roles: [] };

/** Writes the file whole or not at all, owner-only. */
function replaceSecretFile(file: string, value: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${value}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

/** Sets admin's password as the command's description says; `print` shows the operator what happened. */
export async function resetAdminPassword(
  config: AppConfig,
  print: (line: string) => void = console.log,
): Promise<void> {
  const given = config.auth.adminPassword;
  const password = given ?? randomBytes(18).toString('base64url');
  const file = path.join(config.dataDir, 'admin-password');
  const orm = await MikroORM.init(ormConfig(config.databaseUrl, { logger: () => undefined }));
  try {
    const users = new UserRepository(orm.em.fork());
    const passwordHash = await hashPassword(password);
    const admin = await users.findByUsername('admin');
    if (!admin) await users.createAdminIfMissing(passwordHash);
    else
      await users.update(
        admin.id,
        {
          passwordHash,
          disabled: false,
          ...(admin.roles.includes('admin') ? {} : { roles: [...admin.roles, 'admin'] }),
        },
        RESET,
      );
  } finally {
    await orm.close(true);
  }
  if (given) {
    // A password generated earlier is no longer the password.
    rmSync(file, { force: true });
    print('the password of user admin is now the one in OMS_ADMIN_PASSWORD; its sessions have ended');
    return;
  }
  replaceSecretFile(file, password);
  print(`the password of user admin is now ${password}`);
  print(`(also in ${file}, readable only by its owner); its sessions have ended`);
}

if (require.main === module) {
  resetAdminPassword(loadConfig()).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
