-- The compose deployment's database roles besides the owner (POSTGRES_USER, used only by the one-shot jobs)
-- and the application role (oms_app, which `migrate` creates and grants rows only):
--   temporal    owns Temporal's two databases and nothing else; the Temporal server connects as it.
--   oms_backup  may read every database (pg_read_all_data) and change none; backups dump Temporal's with it.
-- Run by the job db-setup as the owner at every `docker compose up`. It sets the passwords every time, so
-- changing one in the environment and running `up` again rotates it (restart the services that use it).
-- Variables: temporal_password, backup_password.
\set ON_ERROR_STOP on

select format('create role temporal login password %L', :'temporal_password')
  where not exists (select from pg_roles where rolname = 'temporal') \gexec
select format('alter role temporal login password %L', :'temporal_password') \gexec
alter role temporal nosuperuser nocreatedb nocreaterole;

select 'create database temporal owner temporal'
  where not exists (select from pg_database where datname = 'temporal') \gexec
select 'create database temporal_visibility owner temporal'
  where not exists (select from pg_database where datname = 'temporal_visibility') \gexec
alter database temporal owner to temporal;
alter database temporal_visibility owner to temporal;

select format('create role oms_backup login password %L', :'backup_password')
  where not exists (select from pg_roles where rolname = 'oms_backup') \gexec
select format('alter role oms_backup login password %L', :'backup_password') \gexec
alter role oms_backup nosuperuser nocreatedb nocreaterole;
grant pg_read_all_data to oms_backup;

-- Deployments made before (Temporal's auto-setup ran as the owner) have Temporal's tables owned by the owner:
-- they move to temporal, which owns its databases from now on.
\connect temporal
do $$
declare r record;
begin
  for r in select tablename from pg_tables where schemaname = 'public' and tableowner <> 'temporal' loop
    execute format('alter table public.%I owner to temporal', r.tablename);
  end loop;
end $$;
\connect temporal_visibility
do $$
declare r record;
begin
  for r in select tablename from pg_tables where schemaname = 'public' and tableowner <> 'temporal' loop
    execute format('alter table public.%I owner to temporal', r.tablename);
  end loop;
end $$;
