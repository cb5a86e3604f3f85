import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from './ids';
import { sqlOf } from './sql';

/** A saved board filter as answers show it. */
export interface SavedView {
  id: string;
  name: string;
  filters: Record<string, unknown>;
  createdAt: string;
}

interface ViewRow {
  id: string;
  name: string;
  filters: Record<string, unknown>;
  created_at: Date | string;
}

const toView = (row: ViewRow): SavedView => ({
  id: row.id,
  name: row.name,
  filters: row.filters,
  createdAt: new Date(row.created_at).toISOString(),
});

/** Saved views (table `saved_views`): every statement names the owner, so nobody reaches another's. */
export class ViewRepository {
  constructor(private readonly em: EntityManager) {}

  /** The owner's views by name. */
  async list(userId: string): Promise<SavedView[]> {
    const rows = await sqlOf(this.em)<ViewRow[]>(
      `select id, name, filters, created_at from saved_views where user_id = ? order by name, id`,
      [userId],
    );
    return rows.map(toView);
  }

  /**
   * Saves a view unless the owner already has `limit` views (answers 'full') or one of that name
   * ('duplicate'); one statement, so two saves of one name at once cannot both succeed.
   */
  async create(
    userId: string,
    name: string,
    filters: Record<string, unknown>,
    limit: number,
  ): Promise<SavedView | 'duplicate' | 'full'> {
    const rows = await sqlOf(this.em)<ViewRow[]>(
      `insert into saved_views (user_id, name, filters)
       select ?, ?, ?::jsonb where (select count(*) from saved_views where user_id = ?) < ?
       on conflict (user_id, name) do nothing
       returning id, name, filters, created_at`,
      [userId, name, JSON.stringify(filters), userId, limit],
    );
    const [row] = rows;
    if (row) return toView(row);
    const [taken] = await sqlOf(this.em)<unknown[]>(
      `select 1 from saved_views where user_id = ? and name = ?`,
      [userId, name],
    );
    return taken ? 'duplicate' : 'full';
  }

  /** Deletes the owner's view; false when the owner has no view of that id. */
  async delete(userId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows = await sqlOf(this.em)<unknown[]>(
      `delete from saved_views where user_id = ? and id = ? returning id`,
      [userId, id],
    );
    return rows.length > 0;
  }
}
