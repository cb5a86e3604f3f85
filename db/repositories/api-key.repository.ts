import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../domain/order';
import { AuditRepository } from './audit.repository';
import { isUuid } from './ids';
import { sqlOf } from './sql';

/** An API key as it is shown: never the key itself, only its first characters. */
export interface ApiKey {
  id: string;
  name: string;
  roles: string[];
  /** The key's first characters (`oms_` and a few more), so people can tell keys apart. */
  prefix: string;
  createdBy: Pick<Actor, 'id' | 'username'>;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ApiKeyWithHash extends ApiKey {
  keyHash: string;
}

interface ApiKeyRow {
  id: string;
  name: string;
  roles: string[];
  prefix: string;
  key_hash: string;
  created_by: Actor;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Raw SQL answers timestamps as text. */
const dateOrNull = (value: string | null) => (value === null ? null : new Date(value));

const apiKey = (row: ApiKeyRow): ApiKeyWithHash => ({
  id: row.id,
  name: row.name,
  roles: row.roles,
  prefix: row.prefix,
  keyHash: row.key_hash,
  createdBy: { id: row.created_by.id, username: row.created_by.username },
  createdAt: new Date(row.created_at),
  lastUsedAt: dateOrNull(row.last_used_at),
  revokedAt: dateOrNull(row.revoked_at),
});

const shown = ({ keyHash: _keyHash, ...key }: ApiKeyWithHash): ApiKey => key;

/** Machine clients' API keys (table `api_keys`), stored as hashes; creation and revocation are audited. */
export class ApiKeyRepository {
  constructor(private readonly em: EntityManager) {}

  /** Stores a new key's hash and its audit entry in one transaction. */
  async create(
    key: { id: string; name: string; roles: string[]; prefix: string; keyHash: string },
    actor: Actor,
  ): Promise<ApiKey> {
    return this.em.transactional(async (em) => {
      const [row] = await sqlOf(em)<ApiKeyRow[]>(
        `insert into api_keys (id, name, roles, key_hash, prefix, created_by)
         values (?, ?, ?::text[], ?, ?, ?::jsonb) returning *`,
        [
          key.id,
          key.name,
          `{${key.roles.join(',')}}`,
          key.keyHash,
          key.prefix,
          JSON.stringify({ id: actor.id, username: actor.username }),
        ],
      );
      const created = shown(apiKey(row!));
      await new AuditRepository(em).record({
        actor,
        action: 'api_key.created',
        entity: 'api_key',
        entityId: key.id,
        before: null,
        after: { name: created.name, roles: created.roles, prefix: created.prefix },
      });
      return created;
    });
  }

  /** Every key, newest first, revoked ones too. */
  async list(): Promise<ApiKey[]> {
    const rows = await sqlOf(this.em)<ApiKeyRow[]>(`select * from api_keys order by created_at desc, id`);
    return rows.map((row) => shown(apiKey(row)));
  }

  /** The key with this hash unless it is revoked; notes when it was last used (at most once a minute). */
  async findActiveByHash(keyHash: string): Promise<ApiKeyWithHash | null> {
    const [row] = await sqlOf(this.em)<ApiKeyRow[]>(
      `select * from api_keys where key_hash = ? and revoked_at is null`,
      [keyHash],
    );
    if (!row) return null;
    if (!row.last_used_at || Date.now() - Date.parse(row.last_used_at) > 60_000) {
      await sqlOf(this.em)(`update api_keys set last_used_at = now() where id = ?`, [row.id]);
    }
    return apiKey(row);
  }

  /** Revokes the key (from the next request on); false for an unknown id. Revoking twice changes nothing. */
  async revoke(id: string, actor: Actor): Promise<boolean> {
    if (!isUuid(id)) return false;
    return this.em.transactional(async (em) => {
      const [row] = await sqlOf(em)<ApiKeyRow[]>(`select * from api_keys where id = ? for update`, [id]);
      if (!row) return false;
      if (row.revoked_at) return true;
      await sqlOf(em)(`update api_keys set revoked_at = now() where id = ?`, [id]);
      await new AuditRepository(em).record({
        actor,
        action: 'api_key.revoked',
        entity: 'api_key',
        entityId: id,
        before: { name: row.name, roles: row.roles, prefix: row.prefix },
        after: null,
      });
      return true;
    });
  }
}
