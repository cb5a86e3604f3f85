/**
 * The passwords of the embedded PostgreSQL (`npm start` without DATABASE_URL): generated at the first start
 * and kept in `<data>/postgres-credentials.json`, readable only by its owner, never fixed in the code. One
 * for the superuser `postgres` (migrations, backups and restores), one for the application role `oms_app`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config-error';
import { secretFile } from './secret-file';

export interface EmbeddedCredentials {
  /** The superuser `postgres`: owns the schema. */
  owner: string;
  /** The application role `oms_app`: rows only. */
  app: string;
}

const FILE = 'postgres-credentials.json';

const generated = () =>
  JSON.stringify({
    owner: randomBytes(24).toString('base64url'),
    app: randomBytes(24).toString('base64url'),
  });

function parsed(file: string, text: string): EmbeddedCredentials {
  const value = JSON.parse(text) as Partial<EmbeddedCredentials>;
  if (typeof value.owner !== 'string' || !value.owner || typeof value.app !== 'string' || !value.app)
    throw new ConfigError(`${file} must hold {"owner": "…", "app": "…"}; delete it only with the database`);
  return { owner: value.owner, app: value.app };
}

/** The passwords, or null before the first start has generated them. */
export function readEmbeddedCredentials(dataDir: string): EmbeddedCredentials | null {
  const file = path.join(dataDir, FILE);
  return existsSync(file) ? parsed(file, secretFile(file, generated).value) : null;
}

/** The passwords, generated now when this is the first start. */
export function embeddedCredentials(dataDir: string): EmbeddedCredentials {
  const file = path.join(dataDir, FILE);
  return parsed(file, secretFile(file, generated).value);
}
