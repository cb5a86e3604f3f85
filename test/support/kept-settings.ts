/**
 * Test files share one database. A file that changes the product's settings as part of its subject (the
 * fuzz suite sends valid bodies to every operation, settings and users included) puts them back when it
 * ends, or the files after it run under rules they never chose (a return form on the tracking page,
 * auto-approval, new orders assigned by a rule, a paused mail server, a user disabled).
 */
import type { MikroORM } from '@mikro-orm/postgresql';

/** Tables of settings, restored whole: rows added meanwhile go, rows changed or removed come back. */
const WHOLE = [
  'work_calendar',
  'seller_settings',
  'return_settings',
  'assignment_rules',
  'notification_recipients',
  'escalation_policies',
];

/** Tables others reference or that keep runtime state: their rows stay, these columns come back. */
const COLUMNS: Record<string, { key: string; columns: string[] }> = {
  users: {
    key: 'id',
    columns: [
      'display_name',
      'email',
      'roles',
      'language',
      'disabled',
      'password_hash',
      'email_notifications',
    ],
  },
  webhooks: { key: 'id', columns: ['active'] },
  delivery_destinations: { key: 'key', columns: ['paused', 'paused_at', 'paused_by'] },
};

type Row = Record<string, unknown>;

/** Reads the settings now; the function returned puts them back as they were, in one transaction. */
export async function keepSettings(orm: MikroORM): Promise<() => Promise<void>> {
  const connection = orm.em.getConnection();
  const rowsOf = async (table: string): Promise<Row[]> =>
    (
      await connection.execute<{ rows: Row[] }[]>(
        `select coalesce(json_agg(t), '[]') as rows from "${table}" t`,
      )
    )[0]!.rows;
  const columnsOf = async (table: string): Promise<string[]> =>
    (
      await connection.execute<{ name: string }[]>(
        `select column_name as name from information_schema.columns
           where table_schema = current_schema() and table_name = ? order by ordinal_position`,
        [table],
      )
    ).map((row) => row.name);

  const whole = new Map<string, Row[]>();
  for (const table of WHOLE) whole.set(table, await rowsOf(table));
  const partial = new Map<string, Row[]>();
  for (const table of Object.keys(COLUMNS)) partial.set(table, await rowsOf(table));
  const userColumns = await columnsOf('users');
  // Approval limits are versioned (an order names the version it was approved under): the latest counts,
  // and putting it back is saving it again as a new version.
  const [approval] = await connection.execute<Row[]>(
    'select * from "approval_settings" order by "version" desc limit 1',
  );
  const approvalColumns = (await columnsOf('approval_settings')).filter((column) => column !== 'version');

  return () =>
    orm.em.fork().transactional(async (em) => {
      const run = (query: string, rows: unknown = []) =>
        em.getConnection().execute(query, [JSON.stringify(rows)], 'run', em.getTransactionContext());
      for (const [table, rows] of whole) {
        await run(`delete from "${table}" where ?::json is not null`);
        await run(
          `insert into "${table}" select * from json_populate_recordset(null::"${table}", ?::json)`,
          rows,
        );
      }
      // A new version from their shared sequence tells cached readers that these rows changed again.
      for (const table of ['work_calendar', 'escalation_policies'])
        await run(
          `update "${table}" set "version" = nextval('escalation_version_seq') where ?::json is not null`,
        );
      for (const [table, { key, columns }] of Object.entries(COLUMNS)) {
        const set = columns
          .filter((column) => table !== 'users' || userColumns.includes(column))
          .map((column) => `"${column}" = s."${column}"`)
          .join(', ');
        await run(
          `update "${table}" t set ${set} from json_populate_recordset(null::"${table}", ?::json) s
             where t."${key}" = s."${key}"`,
          partial.get(table),
        );
      }
      // Added meanwhile: a webhook stops; a destination first seen (and paused) meanwhile is resumed.
      await run(
        `update "webhooks" set "active" = false
           where "id" not in (select "id" from json_populate_recordset(null::"webhooks", ?::json))`,
        partial.get('webhooks'),
      );
      await run(
        `update "delivery_destinations" set "paused" = false, "paused_at" = null, "paused_by" = null
           where "key" not in (select "key" from json_populate_recordset(null::"delivery_destinations", ?::json))`,
        partial.get('delivery_destinations'),
      );
      if (approval) {
        const list = approvalColumns.map((column) => `"${column}"`).join(', ');
        await run(
          `insert into "approval_settings" (${list})
             select ${list} from json_populate_record(null::"approval_settings", ?::json)`,
          approval,
        );
      }
    });
}
