import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/** Raised when an archived document no longer matches its checksum. */
export class CorruptArchiveError extends Error {}

const sha256Of = (text: string) => createHash('sha256').update(text).digest('hex');

/** A JSON document gzip-compressed, with the SHA-256 of the uncompressed text. */
export function seal(json: string): { data: Buffer; sha256: string } {
  return { data: gzipSync(json), sha256: sha256Of(json) };
}

/** The document's text, after checking it against its checksum. */
export function unseal(data: Buffer, sha256: string, what: string): string {
  const json = gunzipSync(data).toString('utf8');
  if (sha256Of(json) !== sha256) throw new CorruptArchiveError(`${what} does not match its checksum`);
  return json;
}
