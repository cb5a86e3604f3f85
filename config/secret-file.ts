import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config-error';

/**
 * A secret kept in a file of the data folder: read, or created once with owner-only permissions. The
 * file is written under a temporary name and linked into place, so a process that starts at the same
 * moment reads either nothing (and creates its own, which loses the race) or the whole secret, never an
 * empty file. A file that is empty (after trimming) stops the start: signing with an empty key would
 * make every token or seal forgeable.
 */
export function secretFile(file: string, create: () => string): { value: string; created: boolean } {
  const existing = readSecret(file);
  if (existing !== null) return { value: existing, created: false };
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, `${create()}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(temporary, 0o600);
  try {
    linkSync(temporary, file);
  } catch (error) {
    // Another process created it first: theirs is the one.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { value: readSecret(file)!, created: false };
  } finally {
    rmSync(temporary, { force: true });
  }
  return { value: readSecret(file)!, created: true };
}

/** The secret in the file, null when there is no file; refuses an empty one, naming it. */
function readSecret(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const value = text.trim();
  if (value === '')
    throw new ConfigError(
      `the secret file ${file} is empty; put the secret in it, or delete the file to have a new one generated`,
    );
  return value;
}
