import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { seal, unseal } from '../db/repositories/sealed';
import { databaseBefore, type MigrationDatabase } from './support/migration-db';

const BEFORE = 'Migration20261126090000_rankings';
const ONE_ARCHIVE = 'Migration20261126093000_one_archive';

/**
 * The move to one archive keeps every row that was archived before it: `order_histories` rows are folded
 * into `order_archives` records. Run on a database of its own, migrated to the step before, with rows in
 * the old shape.
 */
describe('the migration to one archive', () => {
  let database: MigrationDatabase;
  let orm: MikroORM;
  let sql: Client;

  const history = (events: number) => ({
    events: Array.from({ length: events }, (_, i) => ({ eventId: String(i + 1) })),
  });
  const read = async (
    table: 'order_archives' | 'order_histories',
    column: 'record' | 'history',
    id: string,
  ) => {
    const { rows } = await sql.query<{ data: Buffer; sha256: string; events: number }>(
      `select ${column} as data, sha256, events from ${table} where order_id = $1`,
      [id],
    );
    const row = rows[0]!;
    return {
      document: JSON.parse(unseal(row.data, row.sha256, id)) as Record<string, unknown>,
      events: row.events,
    };
  };
  const insert = async (table: string, column: string, id: string, document: unknown, events: number) => {
    const { data, sha256 } = seal(JSON.stringify(document));
    await sql.query(`insert into ${table} (order_id, ${column}, sha256, events) values ($1, $2, $3, $4)`, [
      id,
      data,
      sha256,
      events,
    ]);
  };

  beforeAll(async () => {
    // Foreign keys are not checked on this database's connections: its rows have no orders behind them.
    database = await databaseBefore('oms_archive_migration', BEFORE, { foreignKeys: false });
    ({ orm, sql } = database);
  });

  afterAll(() => database?.close());

  it('folds each stored history into its record, keeping the longer one, and drops the second table', async () => {
    const alone = randomUUID();
    const completed = randomUUID();
    const fuller = randomUUID();
    const record = (id: string, events: number) => ({
      orderId: id,
      order: { id, status: 'completed' },
      lines: [{ sku: 'A' }],
      history: history(events),
    });
    // Archived before records existed: a history alone.
    await insert('order_histories', 'history', alone, history(40), 40);
    // The workflow's record up to its archiving step, completed later by the API on a read.
    await insert('order_archives', 'record', completed, record(completed, 50), 50);
    await insert('order_histories', 'history', completed, history(57), 57);
    // A record at least as long as the stored history keeps its own.
    await insert('order_archives', 'record', fuller, record(fuller, 57), 57);
    await insert('order_histories', 'history', fuller, history(57), 57);

    await orm.migrator.up({ to: ONE_ARCHIVE });

    expect(await read('order_archives', 'record', alone)).toEqual({
      document: { orderId: alone, history: history(40) },
      events: 40,
    });
    expect(await read('order_archives', 'record', completed)).toEqual({
      document: { ...record(completed, 50), history: history(57) },
      events: 57,
    });
    expect(await read('order_archives', 'record', fuller)).toEqual({
      document: record(fuller, 57),
      events: 57,
    });
    const { rows } = await sql.query(`select to_regclass('order_histories') as table`);
    expect(rows[0].table).toBeNull();

    // And back: down rebuilds the histories table from the records.
    await orm.migrator.down();
    expect((await read('order_histories', 'history', completed)).document).toEqual(history(57));
    expect((await read('order_histories', 'history', alone)).events).toBe(40);
  });

  it('stops on a damaged stored history, naming the order, and changes nothing', async () => {
    const damaged = randomUUID();
    const { data } = seal(JSON.stringify(history(3)));
    await sql.query(
      `insert into order_histories (order_id, history, sha256, events) values ($1, $2, 'not-its-checksum', 3)`,
      [damaged, data],
    );
    await expect(orm.migrator.up({ to: ONE_ARCHIVE })).rejects.toThrow(
      new RegExp(`archived history of order ${damaged} does not match`),
    );
    const { rows } = await sql.query(`select count(*)::int as n from order_histories where order_id = $1`, [
      damaged,
    ]);
    expect(rows[0].n).toBe(1);
  });
});
