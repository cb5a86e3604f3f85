import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppConfig } from '../../config/config';
import type { User } from '../../db/entities';
import { LoginThrottleRepository, UserRepository, type ThrottleRule } from '../../db/repositories';
import type { Actor } from '../../domain/order';
import { DomainError } from '../errors/domain.error';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './password';
import { CSRF_HEADER, SESSION_COOKIE, cookieValue, csrfMatches, csrfTokenOf, isSafeMethod } from './session';
import { issueToken, verifyToken } from './tokens';
import type { Language } from '../../domain/people';

const FIFTEEN_MINUTES = 15 * 60;

/**
 * Sign-in throttling: growing delays rather than a hard lock, so nobody can be locked out for longer than
 * 15 minutes at a time, and attempts are admitted and counted before the password is checked, so parallel
 * guesses gain nothing. Three keys: the username from one address (always); the username from anywhere and
 * the address for any username (both skipped when this user has signed in from this address before, so an
 * attacker elsewhere, or sharing a proxy, cannot keep a person out of the account they use every day).
 */
export const THROTTLE: Record<'userAtAddress' | 'user' | 'address', ThrottleRule> = {
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

export interface Me extends Actor {
  language: Language;
  csrfToken: string | null;
}

export interface SessionStart {
  sessionToken: string;
  maxAgeSeconds: number;
  result: { user: LoginResult['user']; csrfToken: string };
}

export interface LoginResult {
  accessToken: string;
  user: { id: string; username: string; roles: string[] };
}

/** Reads a secret file, or creates it with owner-only permissions. */
function secretFile(file: string, create: () => string): { value: string; created: boolean } {
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), created: false };
  mkdirSync(path.dirname(file), { recursive: true });
  const value = create();
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { value, created: true };
}

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');
  private readonly secret: string;

  constructor(
    private readonly config: AppConfig,
    private readonly users: UserRepository,
    private readonly throttle: LoginThrottleRepository,
    private readonly orm: MikroORM,
  ) {
    this.secret =
      config.auth.tokenSecret ??
      secretFile(path.join(config.dataDir, 'token-secret'), () => randomBytes(32).toString('base64url'))
        .value;
  }

  /**
   * The first admin: OMS_ADMIN_PASSWORD sets the password of user `admin`; without it a random password is
   * generated once, printed once, and kept in an owner-only file in the data folder.
   */
  onApplicationBootstrap(): Promise<void> {
    // Runs outside any request, so it gets a unit of work of its own.
    return RequestContext.create(this.orm.em, () => this.bootstrapAdmin());
  }

  private async bootstrapAdmin(): Promise<void> {
    const wanted = this.config.auth.adminPassword;
    if (wanted) {
      const created = await this.users.createAdminIfMissing(await hashPassword(wanted));
      const admin = await this.users.findByUsername('admin');
      if (!created && admin && !(await verifyPassword(wanted, admin.passwordHash))) {
        await this.users.update(admin.id, { passwordHash: await hashPassword(wanted) }, SYSTEM);
        this.logger.log('the password of user admin was set from OMS_ADMIN_PASSWORD');
      }
      return;
    }
    if (await this.users.findByUsername('admin')) return;
    const file = path.join(this.config.dataDir, 'admin-password');
    const { value } = secretFile(file, () => randomBytes(18).toString('base64url'));
    if (await this.users.createAdminIfMissing(await hashPassword(value))) {
      // Printed once, on the console of the first start only; never logged through the logger.
      process.stdout.write(
        `\n  First start: user "admin" was created with password ${value}\n  (also in ${file}, readable only by its owner)\n\n`,
      );
    }
  }

  /** Signs a user in; the same 401 whether the name or the password was wrong. */
  async login(username: string, password: string, address: string): Promise<LoginResult> {
    const name = username.toLowerCase();
    const user = await this.users.findByUsername(name);
    const known = user !== null && (await this.throttle.isKnownAddress(user.id, address));
    const ownKey = `user-at-address:${name}|${address}`;
    const keys: [string, ThrottleRule][] = [[ownKey, THROTTLE.userAtAddress]];
    if (!known) keys.push([`user:${name}`, THROTTLE.user], [`address:${address}`, THROTTLE.address]);
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
    return {
      accessToken: await issueToken(user, this.secret, this.config.auth.tokenTtlSeconds, new Date()),
      user: { id: user.id, username: user.username, roles: [...user.roles] },
    };
  }

  /** The actor behind an `Authorization: Bearer` header, with roles as they are now; 401 otherwise. */
  authenticate(header: string | undefined): Promise<Actor> {
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
      return { actor: await this.authenticate(request.headers.authorization), sessionToken: null };
    const actor = await this.authenticate(`Bearer ${sessionToken}`);
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
    return { actor, sessionToken };
  }

  /** The anti-forgery token of a session, for the console to keep in memory and send on writes. */
  csrfTokenFor(sessionToken: string): string {
    return csrfTokenOf(sessionToken, this.secret);
  }

  /** Signs in for the console: the token goes into the session cookie, the page keeps the anti-forgery token. */
  async startSession(username: string, password: string, address: string): Promise<SessionStart> {
    const { accessToken, user } = await this.login(username, password, address);
    return {
      sessionToken: accessToken,
      maxAgeSeconds: this.config.auth.tokenTtlSeconds,
      result: { user, csrfToken: this.csrfTokenFor(accessToken) },
    };
  }

  /** The signed-in user with their language, and the session's anti-forgery token when signed in by cookie. */
  async me(actor: Actor, sessionToken: string | null): Promise<Me> {
    const user = await this.users.findById(actor.id);
    return {
      ...actor,
      language: user?.language ?? 'zh-CN',
      csrfToken: sessionToken ? this.csrfTokenFor(sessionToken) : null,
    };
  }

  /** Changes the signed-in user's own language (console and notifications); audited like any user change. */
  async setLanguage(actor: Actor, language: Language, sessionToken: string | null): Promise<Me> {
    await this.users.update(actor.id, { language }, actor);
    return this.me(actor, sessionToken);
  }

  private async actorOf(header: string | undefined): Promise<Actor> {
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header ?? '')?.[1];
    if (!token) throw new DomainError('unauthenticated', 'sign in first: send Authorization: Bearer <token>');
    const claims = await verifyToken(token, this.secret, new Date());
    const user = claims ? await this.users.findById(claims.sub) : null;
    // A token issued before the user's password, roles or `disabled` last changed is revoked.
    if (!user || user.disabled || (claims?.ver ?? 0) !== user.tokenVersion)
      throw new DomainError('unauthenticated', 'the token is invalid, expired or revoked');
    return actorOf(user);
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
}

export function actorOf(user: User): Actor {
  return { id: user.id, username: user.username, roles: [...user.roles] };
}

const SYSTEM: Actor = { id: 'system', username: 'system', roles: [] };
