import { Migration } from '@mikro-orm/migrations';

/**
 * Reservations held at stock locations (issue 24): an order's reserved units of a product sit at one or more
 * locations, and a location's reserved units never exceed what it has on hand. Until now a reservation was
 * of a product only, and a location's `reserved` was counted against the locations in the order of
 * preference; the reservations there are placed the same way here, order by order (oldest first), so every
 * location shows what it showed before. A product whose locations held less than its reservations (never
 * the case unless the data was edited by hand) has the rest placed at `MAIN`, as before.
 */
export class Migration20261207010000_reservations_at_locations extends Migration {
  override up(): void {
    this.addSql(`alter table "order_reservations"
      add column "location" text not null default 'MAIN' references "stock_locations" ("code");`);
    this.addSql(`alter table "order_reservations" drop constraint "order_reservations_pkey";`);
    this.addSql(`alter table "order_reservations" add primary key ("order_id", "product_id", "location");`);
    this.addSql(`alter table "order_reservations" alter column "location" drop default;`);
    this.addSql(`create index "order_reservations_product_location_index"
      on "order_reservations" ("product_id", "location");`);
    this.addSql(`do $$
      declare
        reservation record;
        place record;
        take int;
        left_over int;
      begin
        create temporary table room_at on commit drop as
          select p.id as product_id, l.code as location, l.preference,
                 case when l.code = 'MAIN'
                      then p.stock_on_hand - coalesce((select sum(o.on_hand) from location_stock o
                                                        where o.product_id = p.id), 0)
                      else coalesce((select s.on_hand from location_stock s
                                      where s.product_id = p.id and s.location = l.code), 0) end as room
            from products p cross join stock_locations l
           where exists (select 1 from order_reservations r where r.product_id = p.id);
        create temporary table held_before on commit drop as
          select order_id, product_id, quantity, created_at from order_reservations;
        delete from order_reservations;
        for reservation in
          select order_id, product_id, quantity, created_at from held_before
           order by product_id, created_at, order_id
        loop
          left_over := reservation.quantity;
          for place in
            select location, room_at.room from room_at
             where product_id = reservation.product_id order by preference, location
          loop
            exit when left_over <= 0;
            take := least(left_over, greatest(place.room, 0));
            continue when take <= 0;
            insert into order_reservations (order_id, product_id, location, quantity, created_at)
            values (reservation.order_id, reservation.product_id, place.location, take, reservation.created_at);
            update room_at set room = room_at.room - take
             where product_id = reservation.product_id and location = place.location;
            left_over := left_over - take;
          end loop;
          if left_over > 0 then
            insert into order_reservations (order_id, product_id, location, quantity, created_at)
            values (reservation.order_id, reservation.product_id, 'MAIN', left_over, reservation.created_at)
            on conflict (order_id, product_id, location)
            do update set quantity = order_reservations.quantity + excluded.quantity;
          end if;
        end loop;
      end $$;`);
  }

  override down(): void {
    this.addSql(`create temporary table held_at_locations on commit drop as
      select order_id, product_id, sum(quantity)::int as quantity, min(created_at) as created_at
        from order_reservations group by 1, 2;`);
    this.addSql(`delete from order_reservations;`);
    this.addSql(`drop index "order_reservations_product_location_index";`);
    this.addSql(`alter table "order_reservations" drop constraint "order_reservations_pkey";`);
    this.addSql(`alter table "order_reservations" drop column "location";`);
    this.addSql(`alter table "order_reservations" add primary key ("order_id", "product_id");`);
    this.addSql(`insert into order_reservations (order_id, product_id, quantity, created_at)
      select order_id, product_id, quantity, created_at from held_at_locations;`);
  }
}
