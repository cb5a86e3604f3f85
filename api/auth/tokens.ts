import { SignJWT, jwtVerify } from 'jose';

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

// Only HS256 is accepted: a token naming another algorithm ("none", or RS256 with our secret read as a
// public key) is refused by jose before its signature is looked at.
const ALGORITHM = 'HS256';

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** A compact JWT (HS256) for the user's session, valid for `ttlSeconds` from `now`. */
export function issueToken(
  user: { id: string; username: string; tokenVersion?: number },
  secret: string,
  ttlSeconds: number,
  now: Date,
  sessionId?: string,
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({
    username: user.username,
    ...(sessionId ? { sid: sessionId } : {}),
    ver: user.tokenVersion ?? 0,
  })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(user.id)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(keyOf(secret));
}

/** The token's claims if its signature is ours and it has not expired at `now`; null otherwise. */
export async function verifyToken(token: string, secret: string, now: Date): Promise<TokenClaims | null> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: [ALGORITHM],
      currentDate: now,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    if (typeof payload.username !== 'string') return null;
    const { ver, sid } = payload;
    return {
      sub: payload.sub!,
      username: payload.username,
      ...(typeof sid === 'string' ? { sid } : {}),
      ...(typeof ver === 'number' ? { ver } : {}),
      iat: payload.iat!,
      exp: payload.exp!,
    };
  } catch {
    // Malformed, forged, expired or of another algorithm: the caller answers 401 for all alike.
    return null;
  }
}
