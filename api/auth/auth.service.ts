import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { AppConfig } from '../../config/config';
import { secretFile } from '../../config/secret-file';
import {
  LoginThrottleRepository,
  SessionRepository,
  UserRepository,
  type SessionKind,
  type ThrottleRule,
} from '../../db/repositories';
import type { Actor } from '../../domain/order';
import { DomainError } from '../errors/domain.error';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './password';
import {
  CSRF_HEADER,
  SESSION_COOKIE,
  cookieValue,
  csrfMatches,
  csrfTokenOf,
  deviceIdOf,
  deviceToken,
  isSafeMethod,
} from './session';
import { issueToken, verifyToken } from './tokens';
import { API_KEY_PREFIX, ApiKeyService } from '../services/api-key.service';
import { DEFAULT_EMAIL_PREFERENCE, type EmailPreference } from '../../domain/notifications';
import type { Language } from '../../domain/people';

const FIFTEEN_MINUTES = 15 * 60;

/**
 * Sign-in throttling: growing delays rather than a hard lock, so nobody can be locked out for longer than
 * 15 minutes at a time, and attempts are admitted and counted before the password is checked, so parallel
 * guesses gain nothing. The address is the client's (through the proxies OMS_TRUST_PROXY names).
 *
 * From a browser the user signed in on before (its signed device cookie, OWASP's "device cookies"), one key:
 * the username on that device, so nobody else, not even someone at the same shared office address, can
 * keep them out. From anywhere else ("untrusted"), three keys: the username from one address (always); the
 * username from anywhere and the address for any username (both skipped when this user has signed in from
 * this address before). Someone failing at a shared address can therefore slow down first-time and
 * cookie-less sign-ins there, for at most 15 minutes at a time, but not the people who use it every day.
 */
export const THROTTLE: Record<'device' | 'userAtAddress' | 'user' | 'address', ThrottleRule> = {
  device: { free: 5, baseDelaySeconds: 2, maxDelaySeconds: FIFTEEN_MINUTES, windowSeconds: FIFTEEN_MINUTES },
  userAtAddress: {
    free: 5,
    baseDelaySeconds: 2,
    maxDelaySeconds: FIFTEEN_MINUTES,
    windowSeconds: FIFTEEN_MINUTES,
  },
  user: { free: 10, baseDelaySeconds: 2, maxDelaySeconds: FIFTEEN_MINUTES, windowSeconds: FIFTEEN_MINUTES },
  address: {
    free: 20,
    baseDelaySeconds: 2,
    maxDelaySeconds: FIFTEEN_MINUTES,
    windowSeconds: FIFTEEN_MINUTES,
  },
};

/** Failures older than this count for no key. */
const LONGEST_THROTTLE_WINDOW = Math.max(...Object.values(THROTTLE).map((rule) => rule.windowSeconds));

export interface Me extends Actor {
  language: Language;
  /** Where their e-mail goes, and which notifications reach them by e-mail. */
  email: string | null;
  emailNotifications: EmailPreference;
  csrfToken: string | null;
}

export interface SessionStart {
  sessionToken: string;
  maxAgeSeconds: number;
  /** The browser's signed device token, to keep in its cookie. */
  deviceToken: string;
  result: { user: LoginResult['user']; csrfToken: string };
}

export interface LoginResult {
  accessToken: string;
  user: { id: string; username: string; roles: string[] };
}

/** Where a sign-in comes from: the client's address and, from a browser, its device cookie. */
export interface SignInOrigin {
  address: string;
  /** The device cookie the browser sent, if any (verified here). */
  deviceToken?: string | undefined;
}

/** How often ended and expired sessions, and sign-in failures that no longer count, are deleted. */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

@Injectable()
export class AuthService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Auth');
  private readonly secret: string;
  private purgeTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly users: UserRepository,
    private readonly throttle: LoginThrottleRepository,
    private readonly sessions: SessionRepository,
    private readonly orm: MikroORM,
    private readonly apiKeys: ApiKeyService,
  ) {
    this.secret =
      config.auth.tokenSecret ??
      secretFile(path.join(config.dataDir, 'token-secret'), () => randomBytes(32).toString('base64url'))
        .value;
  }

  /**
   * The first admin: when user `admin` does not exist yet, it is created with OMS_ADMIN_PASSWORD, or without
   * it with a random password generated once, printed once, and kept in an owner-only file in the data
   * folder. An existing admin's password is never set here (a change they made must survive restarts);
   * `npm run admin:reset-password` sets it on purpose.
   */
  async onApplicationBootstrap(): Promise<void> {
    // Runs outside any request, so it gets a unit of work of its own.
    await RequestContext.create(this.orm.em, () => this.bootstrapAdmin());
    await this.purge();
    this.purgeTimer = setInterval(() => void this.purge(), PURGE_INTERVAL_MS);
    this.purgeTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.purgeTimer) clearInterval(this.purgeTimer);
  }

  /**
   * Deletes what sign-ins leave behind once it no longer matters: old ended and expired sessions, and the
   * throttle's counts whose failures are older than the longest window.
   */
  private async purge(): Promise<void> {
    try {
      await RequestContext.create(this.orm.em, () => this.sessions.purge());
      await RequestContext.create(this.orm.em, () => this.throttle.purge(LONGEST_THROTTLE_WINDOW));
    } catch (error) {
      this.logger.warn(`purging old sessions and sign-in failures failed: ${String(error)}`);
    }
  }

  private async bootstrapAdmin(): Promise<void> {
    const wanted = this.config.auth.adminPassword;
    if (await this.users.findByUsername('admin')) return;
    if (wanted) {
      if (await this.users.createAdminIfMissing(await hashPassword(wanted)))
        this.logger.log('user admin was created with the password in OMS_ADMIN_PASSWORD');
      return;
    }
    const file = path.join(this.config.dataDir, 'admin-password');
    const { value } = secretFile(file, () => randomBytes(18).toString('base64url'));
    if (await this.users.createAdminIfMissing(await hashPassword(value))) {
      // Printed once, on the console of the first start only; never logged through the logger.
      process.stdout.write(
        `\n  First start: user "admin" was created with password ${value}\n  (also in ${file}, readable only by its owner)\n\n`,
      );
    }
  }

  /** Signs a user in to a new session; the same 401 whether the name or the password was wrong. */
  async login(username: string, password: string, origin: SignInOrigin): Promise<LoginResult> {
    return (await this.signIn(username, password, origin, 'token')).result;
  }

  private async signIn(
    username: string,
    password: string,
    { address, deviceToken: sentDevice }: SignInOrigin,
    kind: SessionKind,
  ): Promise<{ result: LoginResult; deviceId: string }> {
    const name = username.toLowerCase();
    const user = await this.users.findByUsername(name);
    const deviceId = deviceIdOf(sentDevice, this.secret);
    const trusted =
      user !== null && deviceId !== null && (await this.throttle.isKnownDevice(user.id, deviceId));
    const ownKey = trusted ? `device:${deviceId}|${name}` : `user-at-address:${name}|${address}`;
    const keys: [string, ThrottleRule][] = [[ownKey, trusted ? THROTTLE.device : THROTTLE.userAtAddress]];
    const knownAddress = user !== null && (await this.throttle.isKnownAddress(user.id, address));
    if (!trusted && !knownAddress)
      keys.push([`user:${name}`, THROTTLE.user], [`address:${address}`, THROTTLE.address]);
    for (const [key, rule] of keys) {
      if (!(await this.throttle.admit(key, rule)))
        throw new DomainError('throttled', 'too many failed sign-ins; wait a little and try again');
    }
    const valid = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !valid || user.disabled) {
      throw new DomainError('unauthenticated', 'wrong username or password');
    }
    await this.throttle.forgive([ownKey]);
    await this.throttle.rememberAddress(user.id, address);
    // A browser keeps its device id across users and sign-ins; a new one gets an id now.
    const device = deviceId ?? randomUUID();
    if (kind === 'console') await this.throttle.rememberDevice(user.id, device);
    const ttl = this.config.auth.tokenTtlSeconds;
    const sessionId = await this.sessions.start(user.id, kind, ttl);
    return {
      result: {
        accessToken: await issueToken(user, this.secret, ttl, new Date(), sessionId),
        user: { id: user.id, username: user.username, roles: [...user.roles] },
      },
      deviceId: device,
    };
  }

  /**
   * The actor behind an `Authorization: Bearer` header, with roles as they are now, and the session the
   * token belongs to, which must be open; 401 otherwise.
   */
  authenticate(header: string | undefined): Promise<{ actor: Actor; sessionId: string }> {
    // Also called from middleware that runs before the ORM's per-request context exists.
    return RequestContext.create(this.orm.em, () => this.actorOf(header));
  }

  /**
   * The actor behind a request: the bearer header when there is one (scripts), otherwise the session
   * cookie (the console). A write authenticated by the cookie must carry the session's anti-forgery token
   * in `X-CSRF-Token`, so another site cannot make the browser write on the user's behalf.
   */
  async authenticateRequest(request: Credentials): Promise<Authentication> {
    const sessionToken = request.headers.authorization
      ? undefined
      : cookieValue(request.headers.cookie, SESSION_COOKIE);
    if (!sessionToken)
      return { ...(await this.authenticate(request.headers.authorization)), sessionToken: null };
    const { actor, sessionId } = await this.authenticate(`Bearer ${sessionToken}`);
    const csrf = request.headers[CSRF_HEADER];
    if (
      !isSafeMethod(request.method) &&
      !csrfMatches(sessionToken, Array.isArray(csrf) ? csrf[0] : csrf, this.secret)
    ) {
      throw new DomainError(
        'forbidden',
        'this write came without the anti-forgery token of your session (X-CSRF-Token)',
      );
    }
    return { actor, sessionToken, sessionId };
  }

  /**
   * Ends the session of the request's token (bearer header or session cookie) on the server, so a copy of
   * the token is refused from now on. Nothing to end (no token, or one already invalid) is not an error.
   */
  async logout(request: Credentials): Promise<void> {
    const token =
      /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ??
      cookieValue(request.headers.cookie, SESSION_COOKIE);
    const sessionId = token ? (await verifyToken(token, this.secret, new Date()))?.sid : undefined;
    if (sessionId) await this.sessions.end(sessionId);
  }

  /** Ends every session of the signed-in user ("sign out everywhere"). */
  async logoutEverywhere(actor: Actor): Promise<void> {
    await this.sessions.endAllOf(actor.id);
  }

  /** The anti-forgery token of a session, for the console to keep in memory and send on writes. */
  csrfTokenFor(sessionToken: string): string {
    return csrfTokenOf(sessionToken, this.secret);
  }

  /**
   * Signs in for the console: the token goes into the session cookie, the page keeps the anti-forgery
   * token, and the browser keeps a device cookie that marks it as one this user signs in on.
   */
  async startSession(username: string, password: string, origin: SignInOrigin): Promise<SessionStart> {
    const { result, deviceId } = await this.signIn(username, password, origin, 'console');
    const { accessToken, user } = result;
    return {
      sessionToken: accessToken,
      maxAgeSeconds: this.config.auth.tokenTtlSeconds,
      deviceToken: deviceToken(deviceId, this.secret),
      result: { user, csrfToken: this.csrfTokenFor(accessToken) },
    };
  }

  /** The signed-in user with their language, and the session's anti-forgery token when signed in by cookie. */
  async me(actor: Actor, sessionToken: string | null): Promise<Me> {
    const user = await this.users.findById(actor.id);
    return {
      ...actor,
      language: user?.language ?? 'zh-CN',
      email: user?.email ?? null,
      emailNotifications: user?.emailNotifications ?? DEFAULT_EMAIL_PREFERENCE,
      csrfToken: sessionToken ? this.csrfTokenFor(sessionToken) : null,
    };
  }

  /**
   * Changes the signed-in user's own settings: their language (console and notifications) and which
   * notifications also reach them by e-mail; audited like any user change. Absent fields stay as they are.
   */
  async updateMe(
    actor: Actor,
    changes: { language?: Language; emailNotifications?: EmailPreference },
    sessionToken: string | null,
  ): Promise<Me> {
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    if (Object.keys(defined).length > 0) await this.users.update(actor.id, defined, actor);
    return this.me(actor, sessionToken);
  }

  private async actorOf(header: string | undefined): Promise<{ actor: Actor; sessionId: string }> {
    // A machine client's API key: no session; the key's id stands in for one (it names no session row).
    const key = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
    if (key?.startsWith(API_KEY_PREFIX)) {
      const actor = await this.apiKeys.authenticate(key);
      return { actor, sessionId: actor.id };
    }
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header ?? '')?.[1];
    if (!token) throw new DomainError('unauthenticated', 'sign in first: send Authorization: Bearer <token>');
    const claims = await verifyToken(token, this.secret, new Date());
    // Tokens from before server-side sessions name none: their holders sign in again.
    const user = claims?.sid ? await this.sessions.openSessionUser(claims.sid, claims.sub) : null;
    // A token issued before the user's password, roles or `disabled` last changed is revoked (the change
    // also ended its session; the version is checked as well, since it travels in the token).
    if (!claims?.sid || !user || user.disabled || (claims.ver ?? 0) !== user.tokenVersion)
      throw new DomainError('unauthenticated', 'the token is invalid, expired or revoked');
    return { actor: actorOf(user), sessionId: claims.sid };
  }
}

/** What a request carries that may identify its sender (a subset of Express's request). */
export interface Credentials {
  method: string;
  headers: { authorization?: string; cookie?: string; [CSRF_HEADER]?: string | string[] };
}

/** How a request was authenticated: by bearer header, or by the console's session cookie. */
export interface Authentication {
  actor: Actor;
  /** The session token when the cookie authenticated the request. */
  sessionToken: string | null;
  /** The server-side session of the token, whichever way it came. */
  sessionId: string;
}

export function actorOf(user: { id: string; username: string; roles: readonly string[] }): Actor {
  return { id: user.id, username: user.username, roles: [...user.roles] };
}
