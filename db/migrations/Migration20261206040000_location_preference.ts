import { Migration } from '@mikro-orm/migrations';

/**
 * The manager's order of preference among stock locations (issue 24): where `ship` sends from first, and
 * against which location a product's reserved units are counted first. Locations keep the order they had
 * (`MAIN` first, then by code); a new one goes last.
 */
export class Migration20261206040000_location_preference extends Migration {
  override up(): void {
    this.addSql(`alter table "stock_locations" add column "preference" int;`);
    this.addSql(`update "stock_locations" l set "preference" = ranked.position
      from (select "code", row_number() over (order by "code" = 'MAIN' desc, "code") - 1 as position
              from "stock_locations") ranked
      where ranked."code" = l."code";`);
    this.addSql(`alter table "stock_locations" alter column "preference" set not null;`);
  }

  override down(): void {
    this.addSql(`alter table "stock_locations" drop column "preference";`);
  }
}
