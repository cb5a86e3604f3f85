import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AppConfig } from '../../config/config';
import { ApiKeyRepository, type ApiKey } from '../../db/repositories';
import type { Actor } from '../../domain/order';
import { MinuteRateLimit } from '../auth/rate-limit';
import type { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from '../dtos/api-key.dto';
import { DomainError, invalidField, notFound } from '../errors/domain.error';

/** What every key starts with, so a leaked one is recognised (secret scanners, logs) and told from a token. */
export const API_KEY_PREFIX = 'oms_';
/** A key: the prefix and 32 random bytes, base64url. */
export const API_KEY_PATTERN = /^oms_[A-Za-z0-9_-]{43}$/;

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

/** A refusal for a key over its request limit; the guard answers it with `Retry-After`. */
export class RateLimited extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('throttled', `this API key made too many requests; retry in ${retryAfterSeconds} s`);
  }
}

const view = (key: ApiKey): ApiKeyDto => ({
  id: key.id,
  name: key.name,
  roles: key.roles,
  prefix: key.prefix,
  createdBy: key.createdBy,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  revokedAt: key.revokedAt?.toISOString() ?? null,
});

/**
 * API keys for machine clients (a shop, a CRM): created by an admin and shown once, stored as a hash,
 * revoked at once (every request looks the key up), limited per minute. A key acts as an actor of its own,
 * named `api-key:<name>`, so histories and the audit log say which key did what.
 */
@Injectable()
export class ApiKeyService {
  private readonly limit: MinuteRateLimit;

  constructor(
    private readonly keys: ApiKeyRepository,
    config: AppConfig,
  ) {
    this.limit = new MinuteRateLimit(config.auth.apiKeyRequestsPerMinute);
  }

  /** Creates a key; the answer is the only time the key itself is ever shown. */
  async create(dto: CreateApiKeyDto, actor: Actor): Promise<CreatedApiKeyDto> {
    if (dto.roles.includes('admin'))
      throw invalidField('roles', 'may not include admin: an API key cannot manage users or keys');
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const created = await this.keys.create(
      { id: randomUUID(), name: dto.name, roles: dto.roles, prefix: key.slice(0, 12), keyHash: hashOf(key) },
      actor,
    );
    return { ...view(created), key };
  }

  async list(): Promise<ApiKeyDto[]> {
    return (await this.keys.list()).map(view);
  }

  /** Revokes the key: its next request is refused. */
  async revoke(id: string, actor: Actor): Promise<void> {
    if (!(await this.keys.revoke(id, actor))) throw notFound('API key', id);
  }

  /** The actor behind a key, if the key exists and is not revoked, within its request limit; 401 or 429 otherwise. */
  async authenticate(key: string): Promise<Actor> {
    const found = API_KEY_PATTERN.test(key) ? await this.keys.findActiveByHash(hashOf(key)) : null;
    if (!found) throw new DomainError('unauthenticated', 'the API key is invalid or revoked');
    const wait = this.limit.take(found.id, Date.now());
    if (wait !== null) throw new RateLimited(wait);
    return { id: found.id, username: `api-key:${found.name}`, roles: [...found.roles], apiKey: true };
  }
}
