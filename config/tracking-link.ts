/**
 * The customer's tracking link: `/track/<order id>.<signature>`, where the signature is an HMAC of the order
 * id under the tracking key. Shared by the API (which checks links) and the worker (whose customer e-mails
 * carry them), like the configuration it derives from. The link holds no expiry of its own: it stops
 * working `linkDays` after the order ends, which the API reads from the order itself, so every e-mail about
 * one order carries the same link.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import type { AppConfig } from './config';
import { secretFile } from './secret-file';

/**
 * What a signature is for: the signed text starts with it, so a tracking link's signature never opens
 * anything else signed with the same key (a quote's link, config/quote-link.ts).
 */
export type LinkPurpose = 'order-tracking-link:v1:' | 'quote-link:v1:';
const CONTEXT: LinkPurpose = 'order-tracking-link:v1:';
/** 128 bits of the HMAC-SHA256: as hard to guess as a random UUID, and a link short enough to type. */
const SIGNATURE_BYTES = 16;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function signature(key: string, purpose: LinkPurpose, id: string): Buffer {
  return createHmac('sha256', key)
    .update(purpose + id)
    .digest()
    .subarray(0, SIGNATURE_BYTES);
}

/** A token `<id>.<signature>` signing a UUID for one purpose. */
export function signedLinkToken(key: string, purpose: LinkPurpose, id: string): string {
  return `${id}.${signature(key, purpose, id).toString('base64url')}`;
}

/** The id a token was signed for with this purpose, or null for anything else (tampered, truncated, another key or purpose). */
export function idOfSignedLinkToken(key: string, purpose: LinkPurpose, token: string): string | null {
  const [id, mac, ...rest] = token.split('.');
  if (rest.length > 0 || !id || !mac || !UUID.test(id) || !/^[\w-]{22}$/.test(mac)) return null;
  // Compared as text: decoding would ignore the last character's spare bits, so two links would open one page.
  const given = Buffer.from(mac);
  const expected = Buffer.from(signature(key, purpose, id).toString('base64url'));
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}

/** The token of an order's tracking link. */
export function trackingToken(key: string, orderId: string): string {
  return signedLinkToken(key, CONTEXT, orderId);
}

/** The order id a token was signed for, or null for anything else (tampered, truncated, another key). */
export function orderIdOfTrackingToken(key: string, token: string): string | null {
  return idOfSignedLinkToken(key, CONTEXT, token);
}

/** The whole link for a customer's e-mail: `<public URL>/track/<token>`. */
export function trackingUrl(tracking: AppConfig['tracking'], key: string, orderId: string): string {
  return `${tracking.publicUrl}/track/${trackingToken(key, orderId)}`;
}

/** Whether a link to an order that ended at `endedAt` (null: not ended) has stopped working at `now`. */
export function trackingLinkExpired(endedAt: Date | null, linkDays: number, now: Date): boolean {
  return endedAt !== null && now.getTime() > endedAt.getTime() + linkDays * 86_400_000;
}

/**
 * The tracking key: OMS_TRACKING_SECRET, or a random one generated once into `<data>/tracking-secret`
 * (owner-only). The API and the worker read the same file; whichever starts first creates it.
 */
export function trackingKey(config: Pick<AppConfig, 'tracking' | 'dataDir'>): string {
  if (config.tracking.secret) return config.tracking.secret;
  return secretFile(path.join(config.dataDir, 'tracking-secret'), () => randomBytes(32).toString('base64url'))
    .value;
}
