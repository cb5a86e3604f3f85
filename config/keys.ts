/**
 * HMAC keys with an id, and the keys an installation keeps in its data folder when the environment does not
 * give them. A key ring is the key in use plus earlier ones still accepted, so a key can be rotated without
 * refusing what was signed with the one before: the id travels with each signature and picks its key.
 */
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import type { AppConfig } from './config';
import { secretFile } from './secret-file';

export interface Key {
  /** Not secret: the first 12 hex digits of a hash of the key, naming it in signatures. */
  id: string;
  secret: string;
}

export interface KeyRing {
  /** Signs from now on. */
  current: Key;
  /** Still verify. */
  previous: Key[];
}

/** The key with this id in the ring, or undefined. */
export function keyById(ring: KeyRing, id: string): Key | undefined {
  return [ring.current, ...ring.previous].find((key) => key.id === id);
}

export function keyOf(secret: string): Key {
  return { id: createHash('sha256').update(`oms-key-id:${secret}`).digest('hex').slice(0, 12), secret };
}

function ring(dataDir: string, file: string, current: string | undefined, previous: string[]): KeyRing {
  const secret =
    current ?? secretFile(path.join(dataDir, file), () => randomBytes(32).toString('base64url')).value;
  return { current: keyOf(secret), previous: previous.map(keyOf) };
}

/**
 * The keys of staff actions: OMS_COMMAND_KEY (and OMS_COMMAND_PREVIOUS_KEYS), or `<data>/command-key`,
 * generated once (owner-only); the API and the workers of `npm start` share the data folder.
 */
export function commandKeys(config: Pick<AppConfig, 'commands' | 'dataDir'>): KeyRing {
  return ring(config.dataDir, 'command-key', config.commands.key, config.commands.previousKeys);
}

/** The keys of the archive's seals: OMS_ARCHIVE_SEAL_KEY (and earlier ones), or `<data>/archive-seal-key`. */
export function archiveSealKeys(config: Pick<AppConfig, 'archive' | 'dataDir'>): KeyRing {
  return ring(config.dataDir, 'archive-seal-key', config.archive.sealKey, config.archive.previousSealKeys);
}
