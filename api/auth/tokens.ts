import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a bearer token says: who, and until when. Roles are read from the database on every request. */
export interface TokenClaims {
  sub: string;
  username: string;
  /** The server-side session the token belongs to; it must still be open. Absent in older tokens. */
  sid?: string;
  /** The user's token version when issued; a token of an older version is revoked. Absent: version 0. */
  ver?: number;
  iat: number;
  exp: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function sign(input: string, secret: string): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}

/** A compact JWT (HS256) for the user's session, valid for `ttlSeconds` from `now`. */
export function issueToken(
  user: { id: string; username: string; tokenVersion?: number },
  secret: string,
  ttlSeconds: number,
  now: Date,
  sessionId?: string,
): string {
  const iat = Math.floor(now.getTime() / 1000);
  const claims: TokenClaims = {
    sub: user.id,
    username: user.username,
    ...(sessionId ? { sid: sessionId } : {}),
    ver: user.tokenVersion ?? 0,
    iat,
    exp: iat + ttlSeconds,
  };
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${sign(body, secret)}`;
}

/** The token's claims if its signature is ours and it has not expired; null otherwise. */
export function verifyToken(token: string, secret: string, now: Date): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return null;
  const expected = Buffer.from(sign(`${parts[0]}.${parts[1]}`, secret));
  const actual = Buffer.from(parts[2]!);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
    return claims.exp > now.getTime() / 1000 ? claims : null;
  } catch {
    return null;
  }
}
