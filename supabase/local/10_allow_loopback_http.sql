-- LOCAL AND TEST USE ONLY — never apply to a real Supabase project.
-- Lets the local stack point the fleet at http://127.0.0.1 sources (Git host, wrangler dev).
create schema if not exists marketplace_private;
create or replace function marketplace_private.allow_loopback_http() returns boolean
language sql immutable as $$ select true $$;
