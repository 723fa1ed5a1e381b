-- The control plane's list of source hosts (issue 15, point 4; SPEC 4.7: "The control plane
-- refuses config URLs whose host is not on its admin-managed allowlist; adding a host is its own
-- audited action"). One phished admin account must not be able to point 10,000 installs anywhere
-- with a switch: every gitUrl and cloudflareUrl the config names must be on this list, for every
-- write (update, rollback, automatic switch, rollback and promotion alike).
--
-- Hosts are exact, lower-case ASCII names (or an IPv6 literal in brackets): no wildcards, no
-- ports, no schemes. Look-alikes (marketpIace.cartae.com), a trailing dot and punycode are
-- simply not on the list unless an admin adds exactly that name. The list starts with the hosts
-- the product ships with (raw.githubusercontent.com, marketplace.cartae.com) and those the
-- current config already uses; local development adds loopback (supabase/local/30_...).
--
-- Who may do what:
--   get_source_hosts()                    marketplace admins (and the service role)
--   add_source_host(p_host, p_note)       marketplace admins: each addition is a settings-changed entry in the alert feed
--   remove_source_host(p_host)            marketplace admins: refused while the current config uses it; audited the same way
--   anon and signed-in users who are not admins: 42501 (401 / 403)
-- Error codes: 22023 an invalid host, or a config naming a host off the list (the message names
-- the field and the host); PT409 removing a host the current config uses.

create table if not exists marketplace_private.source_hosts (
  host text primary key,
  added_at timestamptz not null default now(),
  added_by uuid,
  added_by_email text,
  note text,
  constraint source_hosts_host check (length(host) between 1 and 253
    and (host ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$' or host ~ '^\[[0-9a-f:.]+\]$')),
  constraint source_hosts_note check (note is null or length(note) <= 200)
);
comment on table marketplace_private.source_hosts is
  'The hosts a marketplace_source URL may name (exact, lower-case). Read and written only through get_source_hosts, add_source_host and remove_source_host.';
revoke all on marketplace_private.source_hosts from public;

-- The host of a URL as the config validation sees it: the authority without credentials' part
-- (already refused), without the port, lower-cased. Null when there is none.
create or replace function marketplace_private.url_host(p_url text) returns text
language sql immutable set search_path = ''
as $$
  select nullif(lower(regexp_replace(substring(p_url from '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)'), ':[0-9]*$', '')), '')
$$;
comment on function marketplace_private.url_host(text) is
  'Private: the lower-cased host of an absolute URL, without its port (new URL(u).hostname for the URLs validation accepts).';
revoke all on function marketplace_private.url_host(text) from public;

insert into marketplace_private.source_hosts (host, note)
values ('raw.githubusercontent.com', 'Git: GitHub raw files (shipped default)'),
       ('marketplace.cartae.com', 'CDN: the Cartae Worker (shipped default)')
on conflict (host) do nothing;
-- Local development and tests (where supabase/local/ made allow_loopback_http() true): loopback.
insert into marketplace_private.source_hosts (host, note)
select h, 'loopback: local development only'
  from unnest(array['127.0.0.1', 'localhost', '[::1]']) h
 where marketplace_private.allow_loopback_http()
on conflict (host) do nothing;
insert into marketplace_private.source_hosts (host, note)
select distinct marketplace_private.url_host(c.config_value ->> f), 'in the config when the list was created'
  from public.app_config c, unnest(array['gitUrl', 'cloudflareUrl']) f
 where c.config_key = 'marketplace_source'
   and jsonb_typeof(c.config_value -> f) = 'string'
   and marketplace_private.url_host(c.config_value ->> f) ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$'
on conflict (host) do nothing;

-- ── Validation: every source URL's host on the list ────────────────────────────────────────

create or replace function marketplace_private.validate_source_hosts(p_doc jsonb) returns void
language plpgsql stable set search_path = ''
as $$
declare
  v_field text;
  v_host text;
begin
  foreach v_field in array array['gitUrl', 'cloudflareUrl'] loop
    continue when jsonb_typeof(p_doc -> v_field) is distinct from 'string';
    v_host := marketplace_private.url_host(p_doc ->> v_field);
    if v_host is null or not exists (select 1 from marketplace_private.source_hosts h where h.host = v_host) then
      perform marketplace_private.reject(format(
        '%s host "%s" is not on the control plane''s list of source hosts (an admin adds it first)',
        v_field, left(coalesce(v_host, ''), 253)));
    end if;
  end loop;
end
$$;
comment on function marketplace_private.validate_source_hosts(jsonb) is
  'Private, called by validate_marketplace_source after the field rules: raises 22023 "<field> host \"<host>\" is not on the control plane''s list of source hosts (an admin adds it first)" (sourceHostProblem in marketplace-core).';
revoke all on function marketplace_private.validate_source_hosts(jsonb) from public;

-- 20261201160000's body, plus the host list last (the URL rules first, so a malformed URL keeps
-- its own message).
create or replace function marketplace_private.validate_marketplace_source(p_doc jsonb) returns void
language plpgsql stable set search_path = ''
as $$
begin
  if jsonb_typeof(p_doc) = 'object' and marketplace_private.nests_deeper_than(p_doc, 32) then
    perform marketplace_private.reject('must be nested at most 32 levels deep (the top-level object is level 1)');
  end if;
  perform marketplace_private.validate_marketplace_fields(p_doc);
  perform marketplace_private.validate_rollout_guard(p_doc);
  perform marketplace_private.validate_canary_ramp(p_doc);
  perform marketplace_private.validate_source_hosts(p_doc);
end
$$;
comment on function marketplace_private.validate_marketplace_source(jsonb) is
  'Private, called by write_config on every update, rollback, automatic switch, rollback and promotion: raises 22023 unless p_doc is a valid marketplace_source (same rules as validateMarketplaceConfig, rolloutGuard and canaryRamp included) whose source URLs'' hosts are on the list of source hosts.';
revoke all on function marketplace_private.validate_marketplace_source(jsonb) from public;

-- ── The functions admins use ────────────────────────────────────────────────────────────────

-- A host as typed, normalised (trimmed, lower-cased), or 22023 saying what is wrong.
create or replace function marketplace_private.checked_source_host(p_host text) returns text
language plpgsql immutable set search_path = ''
as $$
declare
  v_host text := lower(btrim(coalesce(p_host, '')));
begin
  if v_host = '' then
    raise exception 'invalid source host: a host name is required' using errcode = '22023';
  end if;
  if v_host ~ '[/:@?#]' and v_host !~ '^\[[0-9a-f:.]+\]$' then
    raise exception 'invalid source host: give the host name alone, without a scheme, port or path (e.g. cdn.example.com)' using errcode = '22023';
  end if;
  if length(v_host) > 253
     or not (v_host ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$' or v_host ~ '^\[[0-9a-f:.]+\]$') then
    raise exception 'invalid source host: "%" is not a host name (letters, digits, hyphens and dots; internationalised names in their xn-- form)', left(v_host, 253)
      using errcode = '22023';
  end if;
  return v_host;
end
$$;
comment on function marketplace_private.checked_source_host(text) is
  'Private: a host name trimmed and lower-cased, or 22023 "invalid source host: …" (normaliseSourceHost in marketplace-core).';
revoke all on function marketplace_private.checked_source_host(text) from public;

create or replace function marketplace_private.admin_email() returns text
language sql stable security definer set search_path = ''
as $$
  select coalesce((select a.email from public.marketplace_admins a where a.user_id = auth.uid()),
                  case when auth.role() = 'service_role' then 'the service role' else 'an admin' end)
$$;
comment on function marketplace_private.admin_email() is
  'Private: who the caller is, in words, for audit entries.';
revoke all on function marketplace_private.admin_email() from public;

create or replace function public.get_source_hosts()
returns table (host text, added_at timestamptz, added_by_email text, note text, in_use boolean)
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_doc jsonb;
begin
  perform marketplace_private.require_admin();
  select c.config_value into v_doc from public.app_config c where c.config_key = 'marketplace_source';
  return query
    select h.host, h.added_at, h.added_by_email, h.note,
           h.host in (marketplace_private.url_host(v_doc ->> 'gitUrl'), marketplace_private.url_host(v_doc ->> 'cloudflareUrl'))
      from marketplace_private.source_hosts h
     order by h.host;
end
$$;
comment on function public.get_source_hosts() is
  'Admins only: the hosts a marketplace_source URL may name, with who added each and whether the current config uses it.';
revoke all on function public.get_source_hosts() from public;
grant execute on function public.get_source_hosts() to authenticated, service_role;

-- Adds a host; true when added, false when it was already there (nothing written then).
create or replace function public.add_source_host(p_host text, p_note text default null) returns boolean
language plpgsql security definer set search_path = ''
as $$
declare
  v_host text;
  v_who text;
begin
  perform marketplace_private.require_admin();
  v_host := marketplace_private.checked_source_host(p_host);
  if p_note is not null and length(p_note) > 200 then
    raise exception 'invalid source host: the note must be at most 200 characters' using errcode = '22023';
  end if;
  v_who := marketplace_private.admin_email();
  insert into marketplace_private.source_hosts (host, added_by, added_by_email, note)
  values (v_host, auth.uid(), v_who, nullif(btrim(coalesce(p_note, '')), ''))
  on conflict (host) do nothing;
  if not found then return false; end if;
  insert into public.fleet_alerts (event, text, details)
  values ('settings-changed',
          left(format('%s added the source host %s%s', v_who, v_host, coalesce(' (' || nullif(btrim(p_note), '') || ')', '')), 1000),
          jsonb_build_object('by', v_who, 'sourceHost', v_host, 'change', 'added'));
  return true;
end
$$;
comment on function public.add_source_host(text, text) is
  'Admins only: puts a host on the list of source hosts (exact, lower-case; 22023 for anything else). Returns false, writing nothing, when it is already there. Each addition is a settings-changed entry in the alert feed.';
revoke all on function public.add_source_host(text, text) from public;
grant execute on function public.add_source_host(text, text) to authenticated, service_role;

-- Removes a host; true when removed, false when it was not there. Refused (PT409) while the
-- current config uses it: switch away from it first.
create or replace function public.remove_source_host(p_host text) returns boolean
language plpgsql security definer set search_path = ''
as $$
declare
  v_host text;
  v_doc jsonb;
  v_field text;
  v_who text;
begin
  perform marketplace_private.require_admin();
  v_host := marketplace_private.checked_source_host(p_host);
  select c.config_value into v_doc from public.app_config c where c.config_key = 'marketplace_source' for update;
  foreach v_field in array array['gitUrl', 'cloudflareUrl'] loop
    if marketplace_private.url_host(v_doc ->> v_field) = v_host then
      raise exception 'the current config''s % uses %; point it elsewhere before removing the host', v_field, v_host
        using errcode = 'PT409';
    end if;
  end loop;
  delete from marketplace_private.source_hosts h where h.host = v_host;
  if not found then return false; end if;
  v_who := marketplace_private.admin_email();
  insert into public.fleet_alerts (event, text, details)
  values ('settings-changed', left(format('%s removed the source host %s', v_who, v_host), 1000),
          jsonb_build_object('by', v_who, 'sourceHost', v_host, 'change', 'removed'));
  return true;
end
$$;
comment on function public.remove_source_host(text) is
  'Admins only: takes a host off the list of source hosts; PT409 while the current config uses it. Returns false when it was not there. Each removal is a settings-changed entry in the alert feed.';
revoke all on function public.remove_source_host(text) from public;
grant execute on function public.remove_source_host(text) to authenticated, service_role;
