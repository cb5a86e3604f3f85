import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
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

/** The version of the keyed seal; version 1 is the checksum alone (records archived before keys). */
export const KEYED_SEAL_VERSION = 2;

/** A key of the archive's seals (see config/keys.ts): its id travels with each seal. */
export interface SealKey {
  id: string;
  secret: string;
}

function keyedMac(secret: string, orderId: string, events: number, sha256: string): string {
  return createHmac('sha256', secret)
    .update(`oms-archive-seal:v${KEYED_SEAL_VERSION}\n${orderId}\n${events}\n${sha256}`)
    .digest('base64url');
}

/** The seal of a record: `<key id>.<HMAC of the order, its number of events and the record's SHA-256>`. */
export function keyedSeal(key: SealKey, orderId: string, events: number, sha256: string): string {
  return `${key.id}.${keyedMac(key.secret, orderId, events, sha256)}`;
}

/** Whether the seal was made with one of the keys for exactly this order, events and checksum. */
export function sealMatches(
  keys: readonly SealKey[],
  seal: string,
  orderId: string,
  events: number,
  sha256: string,
): boolean {
  const [id, mac] = seal.split('.');
  const key = keys.find((candidate) => candidate.id === id);
  if (!key || !mac) return false;
  const expected = Buffer.from(keyedMac(key.secret, orderId, events, sha256));
  const actual = Buffer.from(mac);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
