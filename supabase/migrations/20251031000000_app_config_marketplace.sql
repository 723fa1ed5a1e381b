-- Cartae marketplace source control: the config row that steers every installed app, its
-- append-only history, the admins allowed to change it, and the only functions through which it
-- can be read and written. Runs unchanged on Supabase (roles anon, authenticated, service_role;
-- schema auth with auth.uid(); pgcrypto in schema extensions).
--
-- Error codes (PostgREST maps them to HTTP statuses):
--   42501  not a marketplace admin                 → 403 (401 for anon)
--   22023  invalid config document                 → 400
--   PT409  expected version does not match         → 409 (someone else changed it meanwhile)
--   PT403  refusing to remove the last admin       → 403
--   PT404  unknown config key or history entry     → 404

create schema if not exists marketplace_private;
revoke all on schema marketplace_private from public;

-- ── Tables ───────────────────────────────────────────────────────────────────────────────────

create table if not exists public.app_config (
  id uuid primary key default gen_random_uuid(),
  config_key text not null unique,
  config_value jsonb not null,
  version bigint not null default 1,
  updated_at timestamptz not null default now(),
  updated_by uuid
);

create table if not exists public.app_config_history (
  id bigint generated always as identity primary key,
  config_key text not null,
  version bigint not null,
  old_value jsonb,
  new_value jsonb not null,
  changed_at timestamptz not null default now(),
  changed_by uuid,
  changed_by_email text,
  changed_by_name text,
  reason text,
  origin text not null check (origin in ('migration', 'admin', 'rollback', 'auto-switch'))
);
create index if not exists app_config_history_key_id on public.app_config_history (config_key, id desc);

create table if not exists public.marketplace_admins (
  user_id uuid primary key,
  email text not null,
  display_name text,
  added_at timestamptz not null default now(),
  added_by uuid
);

-- Direct table access: read-only at most. Every write goes through the functions below.
revoke all on public.app_config, public.app_config_history, public.marketplace_admins from public, anon, authenticated, service_role;
grant select on public.app_config to anon, authenticated, service_role;
grant select on public.app_config_history, public.marketplace_admins to authenticated, service_role;

alter table public.app_config enable row level security;
alter table public.app_config_history enable row level security;
alter table public.marketplace_admins enable row level security;

-- ── Who is an admin ──────────────────────────────────────────────────────────────────────────

-- Callable by anyone signed in: tells the caller whether they are a marketplace admin.
create or replace function public.is_marketplace_admin() returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (select 1 from public.marketplace_admins where user_id = auth.uid())
$$;
comment on function public.is_marketplace_admin() is
  'Anyone: is the caller (auth.uid()) a marketplace admin? Used by RLS policies and the admin panel.';
revoke all on function public.is_marketplace_admin() from public;
grant execute on function public.is_marketplace_admin() to anon, authenticated, service_role;

drop policy if exists app_config_public_read on public.app_config;
create policy app_config_public_read on public.app_config for select to anon, authenticated using (true);
drop policy if exists app_config_history_admin_read on public.app_config_history;
create policy app_config_history_admin_read on public.app_config_history for select to authenticated
  using (public.is_marketplace_admin());
drop policy if exists marketplace_admins_admin_read on public.marketplace_admins;
create policy marketplace_admins_admin_read on public.marketplace_admins for select to authenticated
  using (public.is_marketplace_admin());

-- Private helper: raises 42501 unless the caller is an admin (or the service role, for automation).
create or replace function marketplace_private.require_admin() returns void
language plpgsql stable security definer set search_path = ''
as $$
begin
  if coalesce(auth.role(), '') = 'service_role' or public.is_marketplace_admin() then
    return;
  end if;
  raise exception 'only marketplace admins may do this'
    using errcode = '42501', hint = 'Sign in with an account listed in marketplace_admins.';
end
$$;
revoke all on function marketplace_private.require_admin() from public;

-- ── Validation of the marketplace_source document (same rules as marketplace-core) ─────────────

-- Development switch: http to loopback hosts is refused unless a local-only file replaces this
-- function to return true (supabase/local/ does, for `npm start` and tests). Created only when
-- absent so that override survives re-running this migration.
do $$
begin
  if not exists (
    select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'marketplace_private' and p.proname = 'allow_loopback_http'
  ) then
    execute 'create function marketplace_private.allow_loopback_http() returns boolean
             language sql immutable as $f$ select false $f$';
  end if;
end
$$;

-- What is wrong with a source URL, or null when it is acceptable.
create or replace function marketplace_private.url_problem(p_url text) returns text
language plpgsql stable set search_path = ''
as $$
declare
  v_scheme text;
  v_authority text;
  v_host text;
begin
  if p_url is null or p_url = '' then return 'must be a non-empty string'; end if;
  if length(p_url) > 2048 then return 'must be at most 2048 characters'; end if;
  if p_url ~ '[[:space:][:cntrl:]\\]' then
    return 'must not contain spaces, backslashes or control characters';
  end if;
  v_scheme := lower(substring(p_url from '^([A-Za-z][A-Za-z0-9+.-]*):'));
  if v_scheme is null then return 'is not an absolute URL'; end if;
  if v_scheme not in ('https', 'http') then return format('must use https, not "%s:"', v_scheme); end if;
  v_authority := substring(p_url from '^[A-Za-z]+://([^/?#]*)');
  if v_authority is null then return 'is not an absolute URL'; end if;
  if position('@' in v_authority) > 0 then return 'must not contain credentials'; end if;
  v_host := lower(regexp_replace(v_authority, ':[0-9]*$', ''));
  if v_host = '' then return 'must name a host'; end if;
  if v_scheme = 'http' then
    if not (v_host in ('localhost', '[::1]') or v_host like '%.localhost' or v_host ~ '^127\.[0-9]+\.[0-9]+\.[0-9]+$') then
      return 'must use https (http is only accepted for localhost)';
    end if;
    if not marketplace_private.allow_loopback_http() then
      return 'must use https (http to localhost is not enabled)';
    end if;
  end if;
  return null;
end
$$;

create or replace function marketplace_private.reject(p_message text) returns void
language plpgsql immutable set search_path = ''
as $$
begin
  raise exception 'invalid marketplace_source: %', p_message
    using errcode = '22023', hint = 'Fix the field named in the message; nothing was changed.';
end
$$;

-- A JSON number as numeric, or null when the value is not a number (never a cast error).
create or replace function marketplace_private.json_number(p_value jsonb) returns numeric
language sql immutable set search_path = ''
as $$
  select case when jsonb_typeof(p_value) = 'number' then (p_value #>> '{}')::numeric end
$$;

-- Raises 22023 naming the first problem; unknown keys are kept (forward compatibility).
create or replace function marketplace_private.validate_marketplace_source(p_doc jsonb) returns void
language plpgsql stable set search_path = ''
as $$
declare
  v_type text;
  v_priority text[];
  v_kind text;
  v_field text;
  v_num numeric;
  v_auto jsonb;
begin
  if jsonb_typeof(p_doc) is distinct from 'object' then perform marketplace_private.reject('must be a JSON object'); end if;
  if octet_length(p_doc::text) > 16384 then perform marketplace_private.reject('must be at most 16384 bytes'); end if;

  if jsonb_typeof(p_doc -> 'type') is distinct from 'string' then perform marketplace_private.reject('type is required'); end if;
  v_type := p_doc ->> 'type';
  if v_type not in ('git', 'cloudflare', 'hybrid') then
    perform marketplace_private.reject('type must be one of git, cloudflare, hybrid');
  end if;

  if p_doc ? 'priority' then
    if jsonb_typeof(p_doc -> 'priority') <> 'array' then
      perform marketplace_private.reject('priority must be a list of source kinds');
    end if;
    if exists (select 1 from jsonb_array_elements(p_doc -> 'priority') e
               where case when jsonb_typeof(e) = 'string' then e #>> '{}' not in ('cloudflare', 'git') else true end) then
      perform marketplace_private.reject('priority may only name cloudflare and git');
    end if;
    select array_agg(e #>> '{}') into v_priority from jsonb_array_elements(p_doc -> 'priority') e;
    v_priority := coalesce(v_priority, '{}');
    if cardinality(v_priority) <> (select count(distinct x) from unnest(v_priority) x) then
      perform marketplace_private.reject('priority must not name a source twice');
    end if;
    if cardinality(v_priority) = 0 then perform marketplace_private.reject('priority must name at least one source'); end if;
    if v_type = 'hybrid' and cardinality(v_priority) <> 2 then
      perform marketplace_private.reject('a hybrid priority must name both cloudflare and git');
    end if;
    if v_type <> 'hybrid' and v_priority[1] <> v_type then
      perform marketplace_private.reject(format('priority must start with "%s" when type is "%s"', v_type, v_type));
    end if;
  end if;

  foreach v_kind in array array['cloudflare', 'git'] loop
    v_field := case v_kind when 'git' then 'gitUrl' else 'cloudflareUrl' end;
    if not p_doc ? v_field then
      if v_type in ('hybrid', v_kind) then
        perform marketplace_private.reject(format('%s is required when type is "%s"', v_field, v_type));
      end if;
      continue;
    end if;
    if jsonb_typeof(p_doc -> v_field) <> 'string' then perform marketplace_private.reject(v_field || ' must be a URL string'); end if;
    if marketplace_private.url_problem(p_doc ->> v_field) is not null then
      perform marketplace_private.reject(v_field || ' ' || marketplace_private.url_problem(p_doc ->> v_field));
    end if;
  end loop;

  if p_doc ? 'canaryPercent' then
    if coalesce(marketplace_private.json_number(p_doc -> 'canaryPercent') not between 0 and 100, true) then
      perform marketplace_private.reject('canaryPercent must be a number between 0 and 100');
    end if;
  end if;
  if p_doc ? 'cacheTtlSeconds' then
    v_num := marketplace_private.json_number(p_doc -> 'cacheTtlSeconds');
    if v_num is null or v_num % 1 <> 0 then
      perform marketplace_private.reject('cacheTtlSeconds must be a whole number of seconds');
    end if;
    if v_num < 5 then perform marketplace_private.reject('cacheTtlSeconds must be at least 5'); end if;
    if v_num > 86400 then perform marketplace_private.reject('cacheTtlSeconds must be at most 86400'); end if;
  end if;
  if p_doc ? 'healthCheckIntervalSeconds' then
    v_num := marketplace_private.json_number(p_doc -> 'healthCheckIntervalSeconds');
    if v_num is null or v_num % 1 <> 0 or v_num not between 10 and 3600 then
      perform marketplace_private.reject('healthCheckIntervalSeconds must be a whole number of seconds between 10 and 3600');
    end if;
  end if;
  foreach v_field in array array['healthCheckEnabled', 'fallbackOnError'] loop
    if p_doc ? v_field and jsonb_typeof(p_doc -> v_field) <> 'boolean' then
      perform marketplace_private.reject(v_field || ' must be true or false');
    end if;
  end loop;
  if p_doc ? 'autoSwitch' then
    v_auto := p_doc -> 'autoSwitch';
    if jsonb_typeof(v_auto) <> 'object' then perform marketplace_private.reject('autoSwitch must be an object'); end if;
    if jsonb_typeof(v_auto -> 'enabled') is distinct from 'boolean' then
      perform marketplace_private.reject('autoSwitch.enabled must be true or false');
    end if;
    if coalesce(marketplace_private.json_number(v_auto -> 'rateLimitedPercent') not between 0 and 100, true) then
      perform marketplace_private.reject('autoSwitch.rateLimitedPercent must be a number between 0 and 100');
    end if;
    v_num := marketplace_private.json_number(v_auto -> 'windowMinutes');
    if v_num is null or v_num % 1 <> 0 or v_num not between 1 and 1440 then
      perform marketplace_private.reject('autoSwitch.windowMinutes must be a whole number of minutes between 1 and 1440');
    end if;
    if coalesce(v_auto ->> 'target', '') not in ('git', 'cloudflare', 'hybrid-cdn-first', 'hybrid-git-first') then
      perform marketplace_private.reject('autoSwitch.target must be one of git, cloudflare, hybrid-cdn-first, hybrid-git-first');
    end if;
  end if;
end
$$;
revoke all on function marketplace_private.url_problem(text), marketplace_private.reject(text),
  marketplace_private.validate_marketplace_source(jsonb), marketplace_private.json_number(jsonb) from public;

-- ── History: written by a trigger, so no write path can skip it ─────────────────────────────

create or replace function marketplace_private.record_config_history() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_email text;
  v_name text;
  v_origin text := coalesce(
    nullif(current_setting('marketplace.change_origin', true), ''),
    case when tg_op = 'INSERT' then 'migration' else 'admin' end
  );
begin
  if tg_op = 'UPDATE' and new.config_value = old.config_value and new.version = old.version then
    return new;
  end if;
  if v_uid is not null then
    select a.email, a.display_name into v_email, v_name from public.marketplace_admins a where a.user_id = v_uid;
    if v_email is null then
      select u.email, u.raw_user_meta_data ->> 'full_name' into v_email, v_name from auth.users u where u.id = v_uid;
    end if;
  end if;
  insert into public.app_config_history
    (config_key, version, old_value, new_value, changed_by, changed_by_email, changed_by_name, reason, origin)
  values (
    new.config_key, new.version, case when tg_op = 'UPDATE' then old.config_value end, new.config_value,
    v_uid, v_email, v_name, nullif(current_setting('marketplace.change_reason', true), ''), v_origin
  );
  return new;
end
$$;
revoke all on function marketplace_private.record_config_history() from public;

drop trigger if exists app_config_history_trigger on public.app_config;
create trigger app_config_history_trigger
  after insert or update on public.app_config
  for each row execute function marketplace_private.record_config_history();

-- ── The default config: Git, as the user's design says ──────────────────────────────────────

insert into public.app_config (config_key, config_value)
values ('marketplace_source', jsonb_build_object(
  'type', 'git',
  'priority', jsonb_build_array('git'),
  'gitUrl', 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json',
  'cloudflareUrl', 'https://marketplace.cartae.com',
  'canaryPercent', 100,
  'healthCheckEnabled', true,
  'healthCheckIntervalSeconds', 60,
  'fallbackOnError', true,
  'cacheTtlSeconds', 300
))
on conflict (config_key) do nothing;

-- ── Functions: the only way in ──────────────────────────────────────────────────────────────

create or replace function public.get_marketplace_config() returns jsonb
language sql stable security definer set search_path = ''
as $$
  select jsonb_build_object('config_value', c.config_value, 'version', c.version, 'updated_at', c.updated_at)
  from public.app_config c where c.config_key = 'marketplace_source'
$$;
comment on function public.get_marketplace_config() is
  'Anyone (anon included): the marketplace_source document with its version and update time. Every installed app calls it.';
revoke all on function public.get_marketplace_config() from public;
grant execute on function public.get_marketplace_config() to anon, authenticated, service_role;

-- Shared by update and rollback: lock, check the expected version, write, return the new state.
create or replace function marketplace_private.write_config(
  p_config_key text, p_config_value jsonb, p_reason text, p_expected_version bigint, p_origin text
) returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.app_config%rowtype;
begin
  select * into v_row from public.app_config where config_key = p_config_key for update;
  if not found then
    raise exception 'no config named "%"', p_config_key using errcode = 'PT404';
  end if;
  if p_expected_version is not null and p_expected_version <> v_row.version then
    raise exception 'the config changed meanwhile: you edited version %, it is now version %', p_expected_version, v_row.version
      using errcode = 'PT409',
            detail = json_build_object('currentVersion', v_row.version, 'updatedAt', v_row.updated_at, 'updatedBy', v_row.updated_by)::text,
            hint = 'Review the current config, then save again.';
  end if;
  if p_config_key = 'marketplace_source' then
    perform marketplace_private.validate_marketplace_source(p_config_value);
  end if;
  perform set_config('marketplace.change_reason', coalesce(p_reason, ''), true);
  perform set_config('marketplace.change_origin', p_origin, true);
  update public.app_config
     set config_value = p_config_value, version = v_row.version + 1, updated_at = now(), updated_by = auth.uid()
   where id = v_row.id
  returning * into v_row;
  return jsonb_build_object('config_value', v_row.config_value, 'version', v_row.version, 'updated_at', v_row.updated_at);
end
$$;
revoke all on function marketplace_private.write_config(text, jsonb, text, bigint, text) from public;

create or replace function public.update_app_config(
  p_config_key text, p_config_value jsonb, p_reason text default null, p_expected_version bigint default null
) returns jsonb
language plpgsql security definer set search_path = ''
as $$
begin
  perform marketplace_private.require_admin();
  return marketplace_private.write_config(p_config_key, p_config_value, p_reason, p_expected_version,
    case when auth.role() = 'service_role' and p_reason like 'auto-switch%' then 'auto-switch' else 'admin' end);
end
$$;
comment on function public.update_app_config(text, jsonb, text, bigint) is
  'Admins (and service_role for automation): validate and save a config, bump its version, record history. Pass p_expected_version to refuse a lost update (PT409).';
revoke all on function public.update_app_config(text, jsonb, text, bigint) from public;
grant execute on function public.update_app_config(text, jsonb, text, bigint) to authenticated, service_role;

create or replace function public.rollback_app_config(p_history_id bigint, p_reason text default null) returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_entry public.app_config_history%rowtype;
begin
  perform marketplace_private.require_admin();
  select * into v_entry from public.app_config_history where id = p_history_id;
  if not found then
    raise exception 'no history entry %', p_history_id using errcode = 'PT404';
  end if;
  return marketplace_private.write_config(v_entry.config_key, v_entry.new_value,
    coalesce(p_reason, format('rollback to version %s (history #%s)', v_entry.version, v_entry.id)), null, 'rollback');
end
$$;
comment on function public.rollback_app_config(bigint, text) is
  'Admins: restore the config recorded by one history entry, as a new version with origin rollback.';
revoke all on function public.rollback_app_config(bigint, text) from public;
grant execute on function public.rollback_app_config(bigint, text) to authenticated, service_role;

create or replace function public.get_app_config_history(
  p_config_key text default 'marketplace_source', p_limit integer default 50, p_before_id bigint default null
) returns setof public.app_config_history
language plpgsql stable security definer set search_path = ''
as $$
begin
  perform marketplace_private.require_admin();
  return query
    select * from public.app_config_history h
     where h.config_key = p_config_key and (p_before_id is null or h.id < p_before_id)
     order by h.id desc
     limit least(greatest(coalesce(p_limit, 50), 1), 500);
end
$$;
comment on function public.get_app_config_history(text, integer, bigint) is
  'Admins only (entries hold emails): newest first, paged with p_before_id.';
revoke all on function public.get_app_config_history(text, integer, bigint) from public;
grant execute on function public.get_app_config_history(text, integer, bigint) to authenticated, service_role;

create or replace function public.add_marketplace_admin(
  p_user_id uuid, p_email text default null, p_display_name text default null
) returns public.marketplace_admins
language plpgsql security definer set search_path = ''
as $$
declare
  v_row public.marketplace_admins%rowtype;
  v_email text := p_email;
  v_name text := p_display_name;
begin
  perform marketplace_private.require_admin();
  if v_email is null then
    select u.email, coalesce(v_name, u.raw_user_meta_data ->> 'full_name') into v_email, v_name from auth.users u where u.id = p_user_id;
  end if;
  if v_email is null then
    raise exception 'no user % and no email given', p_user_id using errcode = 'PT404';
  end if;
  insert into public.marketplace_admins (user_id, email, display_name, added_by)
  values (p_user_id, v_email, v_name, auth.uid())
  on conflict (user_id) do update set email = excluded.email, display_name = coalesce(excluded.display_name, public.marketplace_admins.display_name)
  returning * into v_row;
  return v_row;
end
$$;
comment on function public.add_marketplace_admin(uuid, text, text) is
  'Admins or service_role: make a user a marketplace admin (the first admin is added by service_role).';
revoke all on function public.add_marketplace_admin(uuid, text, text) from public;
grant execute on function public.add_marketplace_admin(uuid, text, text) to authenticated, service_role;

create or replace function public.remove_marketplace_admin(p_user_id uuid) returns boolean
language plpgsql security definer set search_path = ''
as $$
begin
  perform marketplace_private.require_admin();
  -- Serialise removals so two admins removing each other cannot leave nobody in charge.
  lock table public.marketplace_admins in share row exclusive mode;
  if not exists (select 1 from public.marketplace_admins where user_id = p_user_id) then
    return false;
  end if;
  if (select count(*) from public.marketplace_admins) <= 1 then
    raise exception 'refusing to remove the last marketplace admin' using errcode = 'PT403',
      hint = 'Add another admin first.';
  end if;
  delete from public.marketplace_admins where user_id = p_user_id;
  return true;
end
$$;
comment on function public.remove_marketplace_admin(uuid) is
  'Admins or service_role: remove an admin; never the last one (PT403).';
revoke all on function public.remove_marketplace_admin(uuid) from public;
grant execute on function public.remove_marketplace_admin(uuid) to authenticated, service_role;
