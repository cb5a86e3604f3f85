/**
 * The console's session: the same signed token a script gets, carried in an HttpOnly cookie instead of a
 * header, plus an anti-forgery token the page keeps in memory and sends on every write.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'oms_session';
/** The browser's device token: set by a successful console sign-in, read by the next ones. */
export const DEVICE_COOKIE = 'oms_device';
/** A device token is kept for a year; each sign-in on the browser renews it. */
const DEVICE_MAX_AGE_SECONDS = 365 * 24 * 3600;
export const CSRF_HEADER = 'x-csrf-token';

/** Methods that never change anything, so a cookie alone may authenticate them. */
const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.includes(method.toUpperCase());
}

/** The anti-forgery token bound to one session token: an HMAC only the server can compute. */
export function csrfTokenOf(sessionToken: string, secret: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionToken}`).digest('base64url');
}

/** Whether the header carries the anti-forgery token of this session (constant time). */
export function csrfMatches(sessionToken: string, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const expected = Buffer.from(csrfTokenOf(sessionToken, secret));
  const actual = Buffer.from(header);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The value of one cookie in a `Cookie` header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/** `Set-Cookie` for a session: HttpOnly, SameSite=Strict, whole site, Secure when served over TLS. */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/** `Set-Cookie` that removes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}

/** A browser's device token: its random id, signed, so that only ids this server handed out are read. */
export function deviceToken(deviceId: string, secret: string): string {
  return `${deviceId}.${createHmac('sha256', secret).update(`device:${deviceId}`).digest('base64url')}`;
}

/** The device id in a device token when the signature is ours; null for anything else. */
export function deviceIdOf(token: string | undefined, secret: string): string | null {
  const deviceId = token?.split('.')[0];
  if (!token || !deviceId) return null;
  const expected = Buffer.from(deviceToken(deviceId, secret));
  const actual = Buffer.from(token);
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? deviceId : null;
}

/** `Set-Cookie` for the device token: only the sign-in endpoints receive it. */
export function deviceCookie(token: string, secure: boolean): string {
  return [
    `${DEVICE_COOKIE}=${token}`,
    'Path=/api/auth',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${DEVICE_MAX_AGE_SECONDS}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
