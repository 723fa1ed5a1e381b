-- Fleet telemetry in the control plane (issue 13, point 3): the per-minute aggregates the edge
-- Worker writes, an hourly rollup for older data, and the only functions through which they are
-- written, summarised and pruned. A row is UsageAggregateRow of @cartae/marketplace-core
-- (usage-report.ts): one minute × shard × source × config version, the sums of the reports the
-- Worker accepted and how many distinct installs sent them. No install id, no address.
--
-- Who may do what:
--   ingest_usage_aggregates(p_rows)   service_role only: the Worker, with the service key as a secret
--   prune_usage()                     service_role only: a scheduler (ingest also prunes, once an hour)
--   get_fleet_usage(p_minutes)        marketplace admins (and service_role, like every admin function)
--   usage_minutes, usage_hours        select for service_role; nothing for anon or authenticated
--
-- Retention: minutes for 7 days, then summed into hours (installs: the peak minute of the hour);
-- hours for 90 days.
--
-- Error codes: 42501 not allowed (→ 401 anon, 403 otherwise); 22023 an invalid batch or window
-- (→ 400), the message naming the row (p_rows[i], counted from 0) and its field.

-- ── Small helpers ────────────────────────────────────────────────────────────────────────────

-- The source kinds the control plane counts: SOURCE_KINDS of marketplace-core. A new kind
-- replaces this function in a new migration; rows already stored are not checked again.
create or replace function marketplace_private.usage_source_kinds() returns text[]
language sql immutable set search_path = ''
as $$ select array['cloudflare', 'git'] $$;
comment on function marketplace_private.usage_source_kinds() is
  'Private, used by the usage tables'' check constraints and validate_usage_rows: the source kinds telemetry may name (SOURCE_KINDS of marketplace-core).';

-- Raises 22023 for a refused batch; the caller's transaction rolls back, so nothing is written.
create or replace function marketplace_private.reject_usage(p_message text) returns void
language plpgsql immutable set search_path = ''
as $$
begin
  raise exception 'invalid usage aggregates: %', p_message
    using errcode = '22023', hint = 'Fix the row and field named in the message, then send the batch again; nothing was written.';
end
$$;
comment on function marketplace_private.reject_usage(text) is
  'Private, called by validate_usage_rows: raises 22023 "invalid usage aggregates: <p_rows[i].field> <problem>" (the usage counterpart of reject()).';

-- Raises 42501 unless the request carries the service role (the grants already keep other API
-- roles out; this also keeps out anyone later granted EXECUTE by mistake, and the owner's own
-- sessions, which call the marketplace_private functions instead).
create or replace function marketplace_private.require_service_role() returns void
language plpgsql stable set search_path = ''
as $$
begin
  if coalesce(auth.role(), '') = 'service_role' then
    return;
  end if;
  raise exception 'only the service role may do this'
    using errcode = '42501', hint = 'Call it from a server with the service_role key; apps and admins never write usage.';
end
$$;
comment on function marketplace_private.require_service_role() is
  'Private, called by ingest_usage_aggregates and prune_usage: raises 42501 unless auth.role() is service_role.';

-- An ISO 8601 time with its zone (as Date.prototype.toISOString writes it), or null when the
-- text is not one. The pattern refuses what Postgres would read differently (no zone, a space,
-- words like "now"); the handler turns an impossible date (February 30th) into null.
create or replace function marketplace_private.iso_time(p_text text) returns timestamptz
language plpgsql stable set search_path = ''
as $$
begin
  if p_text is null
     or p_text !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$' then
    return null;
  end if;
  return p_text::timestamptz;
exception when data_exception then
  return null;
end
$$;
comment on function marketplace_private.iso_time(text) is
  'Private, called by validate_usage_rows: an ISO 8601 time with a zone as timestamptz, or null.';

-- A time as toISOString writes it (UTC, milliseconds), whatever the session's TimeZone.
create or replace function marketplace_private.iso_text(p_time timestamptz) returns text
language sql stable set search_path = ''
as $$ select to_char(p_time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
comment on function marketplace_private.iso_text(timestamptz) is
  'Private, called by get_fleet_usage: a time in UTC as 2026-11-30T15:20:00.000Z.';

-- Latency histograms add bucket by bucket: a function for upserts, an aggregate for sums.
create or replace function marketplace_private.add_latency(p_a bigint[], p_b bigint[]) returns bigint[]
language sql immutable strict set search_path = ''
as $$
  select array_agg(a + b order by i) from unnest(p_a, p_b) with ordinality as t(a, b, i)
$$;
comment on function marketplace_private.add_latency(bigint[], bigint[]) is
  'Private, used by the usage upserts and sum_latency: two latency histograms added bucket by bucket.';

create or replace aggregate marketplace_private.sum_latency(bigint[]) (
  sfunc = marketplace_private.add_latency,
  stype = bigint[],
  initcond = '{0,0,0,0,0,0,0,0}'
);
comment on aggregate marketplace_private.sum_latency(bigint[]) is
  'Private, used by ingest, the hourly rollup and get_fleet_usage: the bucket-by-bucket sum of latency histograms.';

revoke all on function marketplace_private.usage_source_kinds(), marketplace_private.reject_usage(text),
  marketplace_private.require_service_role(),
  marketplace_private.iso_time(text), marketplace_private.iso_text(timestamptz),
  marketplace_private.add_latency(bigint[], bigint[]), marketplace_private.sum_latency(bigint[]) from public;

-- ── Tables ───────────────────────────────────────────────────────────────────────────────────

-- Counters are bigint: one row is the sum of every flush the Worker sends for its key.
create table if not exists public.usage_minutes (
  minute timestamptz not null,
  shard smallint not null,
  source text not null,
  config_version bigint not null,
  installs bigint not null,
  reports bigint not null,
  requests bigint not null,
  successes bigint not null,
  not_modified bigint not null,
  errors bigint not null,
  rate_limited bigint not null,
  timeouts bigint not null,
  refused bigint not null,
  fallbacks bigint not null,
  stale_serves bigint not null,
  latency bigint[] not null,
  quota_remaining bigint,
  quota_limit bigint,
  primary key (minute, shard, source, config_version),
  constraint usage_minutes_on_a_minute check (extract(epoch from minute) % 60 = 0),
  constraint usage_minutes_shard check (shard between 0 and 255),
  constraint usage_minutes_source check (source = any (marketplace_private.usage_source_kinds())),
  constraint usage_minutes_config_version check (config_version >= 0),
  constraint usage_minutes_counts check (least(installs, reports, requests, successes, not_modified, errors,
    rate_limited, timeouts, refused, fallbacks, stale_serves) >= 0),
  constraint usage_minutes_latency check (array_ndims(latency) = 1 and cardinality(latency) = 8)
);
comment on table public.usage_minutes is
  'Fleet telemetry per minute × shard × source × config version (UsageAggregateRow), written only by ingest_usage_aggregates; kept 7 days, then rolled into usage_hours.';

create table if not exists public.usage_hours (
  hour timestamptz not null,
  shard smallint not null,
  source text not null,
  config_version bigint not null,
  installs bigint not null,
  reports bigint not null,
  requests bigint not null,
  successes bigint not null,
  not_modified bigint not null,
  errors bigint not null,
  rate_limited bigint not null,
  timeouts bigint not null,
  refused bigint not null,
  fallbacks bigint not null,
  stale_serves bigint not null,
  latency bigint[] not null,
  quota_remaining bigint,
  quota_limit bigint,
  primary key (hour, shard, source, config_version),
  constraint usage_hours_on_an_hour check (extract(epoch from hour) % 3600 = 0),
  constraint usage_hours_shard check (shard between 0 and 255),
  constraint usage_hours_source check (source = any (marketplace_private.usage_source_kinds())),
  constraint usage_hours_config_version check (config_version >= 0),
  constraint usage_hours_counts check (least(installs, reports, requests, successes, not_modified, errors,
    rate_limited, timeouts, refused, fallbacks, stale_serves) >= 0),
  constraint usage_hours_latency check (array_ndims(latency) = 1 and cardinality(latency) = 8)
);
comment on table public.usage_hours is
  'usage_minutes older than 7 days, summed per UTC hour (installs: the peak minute of the hour); kept 90 days.';

-- When retention last ran: one row, so ingest prunes at most once an hour.
create table if not exists marketplace_private.usage_retention (
  id boolean primary key default true check (id),
  last_pruned_at timestamptz
);
insert into marketplace_private.usage_retention (id) values (true) on conflict (id) do nothing;

-- Only the definer functions write; the service role may read (dashboards, exports). RLS with no
-- policy: even a later grant to anon or authenticated would show them nothing.
revoke all on public.usage_minutes, public.usage_hours from public, anon, authenticated, service_role;
grant select on public.usage_minutes, public.usage_hours to service_role;
revoke all on marketplace_private.usage_retention from public;
alter table public.usage_minutes enable row level security;
alter table public.usage_hours enable row level security;

-- ── Validation ───────────────────────────────────────────────────────────────────────────────

-- Raises 22023 naming the first problem of the first bad row; checks every row before any is
-- written. Exactly the fields of UsageAggregateRow: an unknown one is refused, not dropped, since
-- the only writer is our own Worker and a renamed field would otherwise be lost silently.
-- The checks are plain expressions, not helper calls: a helper with its own search_path costs
-- tens of microseconds a call, and a full batch makes some 25,000 checks.
create or replace function marketplace_private.validate_usage_rows(p_rows jsonb) returns void
language plpgsql stable set search_path = ''
as $$
declare
  c_fields constant text[] := array['minute', 'shard', 'source', 'configVersion', 'installs', 'reports',
    'requests', 'successes', 'notModified', 'errors', 'rateLimited', 'timeouts', 'refused', 'fallbacks',
    'staleServes', 'latency', 'quotaRemaining', 'quotaLimit'];
  c_counters constant text[] := array['installs', 'reports', 'requests', 'successes', 'notModified', 'errors',
    'rateLimited', 'timeouts', 'refused', 'fallbacks', 'staleServes'];
  c_max_count constant numeric := 10000000;
  c_max_quota constant numeric := 1000000000;
  v_kinds text[] := marketplace_private.usage_source_kinds();
  v_row jsonb;
  v_index bigint;
  v_at text;
  v_field text;
  v_minute timestamptz;
  v_num numeric;
begin
  if jsonb_typeof(p_rows) is distinct from 'array' then
    perform marketplace_private.reject_usage('p_rows must be a JSON array of rows');
  end if;
  if jsonb_array_length(p_rows) > 1000 then
    perform marketplace_private.reject_usage(
      format('p_rows holds %s rows, at most 1000 may be sent at once', jsonb_array_length(p_rows)));
  end if;

  for v_row, v_index in select e, o - 1 from jsonb_array_elements(p_rows) with ordinality as t(e, o) loop
    v_at := format('p_rows[%s]', v_index);
    if jsonb_typeof(v_row) <> 'object' then
      perform marketplace_private.reject_usage(v_at || ' must be an object');
    end if;
    foreach v_field in array c_fields loop
      if not v_row ? v_field then
        perform marketplace_private.reject_usage(format('%s.%s is required', v_at, v_field));
      end if;
    end loop;
    if v_row - c_fields <> '{}'::jsonb then
      select min(k) into v_field from jsonb_object_keys(v_row - c_fields) as k;
      perform marketplace_private.reject_usage(format('%s.%s is not a field of a usage aggregate row', v_at, v_field));
    end if;

    v_minute := marketplace_private.iso_time(
      case when jsonb_typeof(v_row -> 'minute') = 'string' then v_row ->> 'minute' end);
    if v_minute is null then
      perform marketplace_private.reject_usage(v_at || '.minute must be an ISO 8601 time with a zone, e.g. 2026-11-30T15:20:00.000Z');
    end if;
    if extract(epoch from v_minute) % 60 <> 0 then
      perform marketplace_private.reject_usage(v_at || '.minute must be the start of a minute (no seconds)');
    end if;
    -- The Worker flushes within minutes; a much older or future minute is a bug or a replay.
    if v_minute < now() - interval '2 hours' or v_minute > now() + interval '5 minutes' then
      perform marketplace_private.reject_usage(v_at || '.minute must lie within the last 2 hours and at most 5 minutes ahead');
    end if;

    -- Each number below: null unless JSON says number, then whole and within its bounds.
    v_num := case when jsonb_typeof(v_row -> 'shard') = 'number' then (v_row ->> 'shard')::numeric end;
    if v_num is null or v_num % 1 <> 0 or v_num < 0 or v_num > 255 then
      perform marketplace_private.reject_usage(v_at || '.shard must be a whole number between 0 and 255');
    end if;
    if jsonb_typeof(v_row -> 'source') is distinct from 'string' or not (v_row ->> 'source' = any (v_kinds)) then
      perform marketplace_private.reject_usage(
        format('%s.source must be one of %s', v_at, array_to_string(v_kinds, ', ')));
    end if;
    -- Up to Number.MAX_SAFE_INTEGER: the Worker's numbers are JavaScript numbers.
    v_num := case when jsonb_typeof(v_row -> 'configVersion') = 'number' then (v_row ->> 'configVersion')::numeric end;
    if v_num is null or v_num % 1 <> 0 or v_num < 0 or v_num > 9007199254740991 then
      perform marketplace_private.reject_usage(v_at || '.configVersion must be a whole number, 0 or more (0: the built-in default)');
    end if;
    foreach v_field in array c_counters loop
      v_num := case when jsonb_typeof(v_row -> v_field) = 'number' then (v_row ->> v_field)::numeric end;
      if v_num is null or v_num % 1 <> 0 or v_num < 0 or v_num > c_max_count then
        perform marketplace_private.reject_usage(
          format('%s.%s must be a whole number between 0 and %s', v_at, v_field, c_max_count));
      end if;
    end loop;
    if jsonb_typeof(v_row -> 'latency') is distinct from 'array' or jsonb_array_length(v_row -> 'latency') <> 8
       or jsonb_path_exists(v_row -> 'latency',
            'strict $[*] ? (@.type() != "number" || @ < 0 || @ > 10000000 || @ % 1 != 0)') then
      perform marketplace_private.reject_usage(
        format('%s.latency must be an array of 8 whole numbers between 0 and %s', v_at, c_max_count));
    end if;
    foreach v_field in array array['quotaRemaining', 'quotaLimit'] loop
      continue when v_row -> v_field = 'null'::jsonb;
      v_num := case when jsonb_typeof(v_row -> v_field) = 'number' then (v_row ->> v_field)::numeric end;
      if v_num is null or v_num % 1 <> 0 or v_num < 0 or v_num > c_max_quota then
        perform marketplace_private.reject_usage(
          format('%s.%s must be null or a whole number between 0 and %s', v_at, v_field, c_max_quota));
      end if;
    end loop;
  end loop;
end
$$;
comment on function marketplace_private.validate_usage_rows(jsonb) is
  'Private, called by ingest_usage_aggregates: raises 22023 naming the row and field unless p_rows is an array of at most 1000 valid UsageAggregateRow objects.';
revoke all on function marketplace_private.validate_usage_rows(jsonb) from public;

-- ── Retention ────────────────────────────────────────────────────────────────────────────────

-- Rolls minutes older than 7 days into UTC hours and deletes hours older than 90 days, as of
-- p_now. An hour may be rolled in several passes (the cutoff moves by the minute): its sums add
-- and its installs keep the peak, so the result is the same as one pass. The state row is written
-- first, so its lock makes concurrent passes run one after the other.
create or replace function marketplace_private.prune_usage(p_now timestamptz) returns jsonb
language plpgsql set search_path = ''
as $$
declare
  v_rolled bigint;
  v_hours bigint;
  v_deleted bigint;
begin
  insert into marketplace_private.usage_retention (id, last_pruned_at) values (true, p_now)
  on conflict (id) do update set last_pruned_at = excluded.last_pruned_at;

  with moved as (
    delete from public.usage_minutes where minute < p_now - interval '7 days' returning *
  ), hours as (
    select date_trunc('hour', minute, 'UTC') as hour, shard, source, config_version,
           max(installs) as installs, sum(reports) as reports, sum(requests) as requests,
           sum(successes) as successes, sum(not_modified) as not_modified, sum(errors) as errors,
           sum(rate_limited) as rate_limited, sum(timeouts) as timeouts, sum(refused) as refused,
           sum(fallbacks) as fallbacks, sum(stale_serves) as stale_serves,
           marketplace_private.sum_latency(latency) as latency,
           min(quota_remaining) as quota_remaining,
           (array_agg(quota_limit order by quota_remaining nulls last, quota_limit desc nulls last))[1] as quota_limit
      from moved
     group by 1, 2, 3, 4
  ), written as (
    insert into public.usage_hours as h (hour, shard, source, config_version, installs, reports, requests,
      successes, not_modified, errors, rate_limited, timeouts, refused, fallbacks, stale_serves, latency,
      quota_remaining, quota_limit)
    select * from hours order by hour, shard, source, config_version
    on conflict (hour, shard, source, config_version) do update set
      installs = greatest(h.installs, excluded.installs),
      reports = h.reports + excluded.reports,
      requests = h.requests + excluded.requests,
      successes = h.successes + excluded.successes,
      not_modified = h.not_modified + excluded.not_modified,
      errors = h.errors + excluded.errors,
      rate_limited = h.rate_limited + excluded.rate_limited,
      timeouts = h.timeouts + excluded.timeouts,
      refused = h.refused + excluded.refused,
      fallbacks = h.fallbacks + excluded.fallbacks,
      stale_serves = h.stale_serves + excluded.stale_serves,
      latency = marketplace_private.add_latency(h.latency, excluded.latency),
      quota_remaining = least(h.quota_remaining, excluded.quota_remaining),
      quota_limit = case when excluded.quota_remaining < coalesce(h.quota_remaining, excluded.quota_remaining + 1)
                         then excluded.quota_limit else coalesce(h.quota_limit, excluded.quota_limit) end
    returning 1
  )
  select (select count(*) from moved), (select count(*) from written) into v_rolled, v_hours;

  delete from public.usage_hours where hour < p_now - interval '90 days';
  get diagnostics v_deleted = row_count;
  return jsonb_build_object('minutesRolledUp', v_rolled, 'hoursWritten', v_hours, 'hoursDeleted', v_deleted);
end
$$;
comment on function marketplace_private.prune_usage(timestamptz) is
  'Private, called by prune_usage() and prune_usage_if_due (the owner may call it from a scheduler such as pg_cron): rolls minutes older than 7 days into hours, deletes hours older than 90 days; returns {minutesRolledUp, hoursWritten, hoursDeleted}.';
revoke all on function marketplace_private.prune_usage(timestamptz) from public;

-- Prunes when the last run is an hour old. Most calls stop at the first read; of concurrent
-- callers one prunes and the others skip instead of waiting behind its lock.
create or replace function marketplace_private.prune_usage_if_due() returns jsonb
language plpgsql set search_path = ''
as $$
declare
  v_last timestamptz;
begin
  if exists (select 1 from marketplace_private.usage_retention where last_pruned_at > now() - interval '1 hour') then
    return null;
  end if;
  select last_pruned_at into v_last from marketplace_private.usage_retention where id for update skip locked;
  if not found or v_last > now() - interval '1 hour' then
    return null;
  end if;
  return marketplace_private.prune_usage(now());
end
$$;
comment on function marketplace_private.prune_usage_if_due() is
  'Private, called by ingest_usage_aggregates after each batch: runs prune_usage(now()) at most once an hour; null when it did not run.';
revoke all on function marketplace_private.prune_usage_if_due() from public;

-- ── Functions: the only way in ──────────────────────────────────────────────────────────────

create or replace function public.ingest_usage_aggregates(p_rows jsonb) returns integer
language plpgsql security definer set search_path = ''
as $$
declare
  v_written integer;
begin
  perform marketplace_private.require_service_role();
  perform marketplace_private.validate_usage_rows(p_rows);

  -- Rows of one batch with the same key are merged first (one upsert may touch a row only once);
  -- rows are written in key order so that concurrent batches lock rows in the same order.
  with incoming as (
    -- Validated above, so these casts cannot fail.
    select (r ->> 'minute')::timestamptz as minute,
           (r ->> 'shard')::numeric::smallint as shard,
           r ->> 'source' as source,
           (r ->> 'configVersion')::numeric::bigint as config_version,
           (r ->> 'installs')::numeric::bigint as installs,
           (r ->> 'reports')::numeric::bigint as reports,
           (r ->> 'requests')::numeric::bigint as requests,
           (r ->> 'successes')::numeric::bigint as successes,
           (r ->> 'notModified')::numeric::bigint as not_modified,
           (r ->> 'errors')::numeric::bigint as errors,
           (r ->> 'rateLimited')::numeric::bigint as rate_limited,
           (r ->> 'timeouts')::numeric::bigint as timeouts,
           (r ->> 'refused')::numeric::bigint as refused,
           (r ->> 'fallbacks')::numeric::bigint as fallbacks,
           (r ->> 'staleServes')::numeric::bigint as stale_serves,
           array(select (l #>> '{}')::numeric::bigint
                   from jsonb_array_elements(r -> 'latency') with ordinality as b(l, i) order by i) as latency,
           (r ->> 'quotaRemaining')::numeric::bigint as quota_remaining,
           (r ->> 'quotaLimit')::numeric::bigint as quota_limit
      from jsonb_array_elements(p_rows) as r
  ), merged as (
    select minute, shard, source, config_version,
           sum(installs) as installs, sum(reports) as reports, sum(requests) as requests,
           sum(successes) as successes, sum(not_modified) as not_modified, sum(errors) as errors,
           sum(rate_limited) as rate_limited, sum(timeouts) as timeouts, sum(refused) as refused,
           sum(fallbacks) as fallbacks, sum(stale_serves) as stale_serves,
           marketplace_private.sum_latency(latency) as latency,
           min(quota_remaining) as quota_remaining,
           (array_agg(quota_limit order by quota_remaining nulls last, quota_limit desc nulls last))[1] as quota_limit
      from incoming
     group by minute, shard, source, config_version
  )
  insert into public.usage_minutes as u (minute, shard, source, config_version, installs, reports, requests,
    successes, not_modified, errors, rate_limited, timeouts, refused, fallbacks, stale_serves, latency,
    quota_remaining, quota_limit)
  select * from merged order by minute, shard, source, config_version
  on conflict (minute, shard, source, config_version) do update set
    -- Two flushes of one minute hold different reports, so their installs add up too.
    installs = u.installs + excluded.installs,
    reports = u.reports + excluded.reports,
    requests = u.requests + excluded.requests,
    successes = u.successes + excluded.successes,
    not_modified = u.not_modified + excluded.not_modified,
    errors = u.errors + excluded.errors,
    rate_limited = u.rate_limited + excluded.rate_limited,
    timeouts = u.timeouts + excluded.timeouts,
    refused = u.refused + excluded.refused,
    fallbacks = u.fallbacks + excluded.fallbacks,
    stale_serves = u.stale_serves + excluded.stale_serves,
    latency = marketplace_private.add_latency(u.latency, excluded.latency),
    -- The lowest quota seen, with the limit that came with it.
    quota_remaining = least(u.quota_remaining, excluded.quota_remaining),
    quota_limit = case when excluded.quota_remaining < coalesce(u.quota_remaining, excluded.quota_remaining + 1)
                       then excluded.quota_limit else coalesce(u.quota_limit, excluded.quota_limit) end;
  get diagnostics v_written = row_count;

  perform marketplace_private.prune_usage_if_due();
  return v_written;
end
$$;
comment on function public.ingest_usage_aggregates(jsonb) is
  'service_role only (the edge Worker, with the service key as a Worker secret): validates a batch of at most 1000 UsageAggregateRow objects, refusing it whole with 22023 naming the row and field, then adds each row to its minute (sums add, quota keeps the lowest). Returns the number of minute rows written. Prunes at most once an hour.';
revoke all on function public.ingest_usage_aggregates(jsonb) from public, anon, authenticated;
grant execute on function public.ingest_usage_aggregates(jsonb) to service_role;

create or replace function public.prune_usage() returns jsonb
language plpgsql security definer set search_path = ''
as $$
begin
  perform marketplace_private.require_service_role();
  return marketplace_private.prune_usage(now());
end
$$;
comment on function public.prune_usage() is
  'service_role only (a scheduler; ingest_usage_aggregates also prunes once an hour): rolls minutes older than 7 days into hours, deletes hours older than 90 days; returns {minutesRolledUp, hoursWritten, hoursDeleted}.';
revoke all on function public.prune_usage() from public, anon, authenticated;
grant execute on function public.prune_usage() to service_role;

-- The window is the p_minutes minutes ending with the current one: [from, to), `to` being the
-- start of the next minute. At most 7 days, which the minute table always still holds (it
-- keeps every minute younger than 7 days, and prunes by that same cutoff).
create or replace function public.get_fleet_usage(p_minutes integer default 60) returns jsonb
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_to timestamptz := date_trunc('minute', now(), 'UTC') + interval '1 minute';
  v_from timestamptz;
  v_latest timestamptz;
  v_result jsonb;
begin
  perform marketplace_private.require_admin();
  if p_minutes is null or p_minutes not between 1 and 10080 then
    raise exception 'invalid usage window: p_minutes must be between 1 and 10080 (7 days), not %', coalesce(p_minutes::text, 'null')
      using errcode = '22023', hint = 'Older usage is kept per hour in usage_hours (service role).';
  end if;
  v_from := v_to - make_interval(mins => p_minutes);
  -- The current minute is still being counted: installs are read from the latest complete one.
  select max(minute) into v_latest from public.usage_minutes
   where minute >= v_from and minute < v_to - interval '1 minute';

  with w as (
    select * from public.usage_minutes where minute >= v_from and minute < v_to
  ), per_source as (
    select source, sum(requests) as requests, sum(successes) as successes, sum(not_modified) as not_modified,
           sum(errors) as errors, sum(rate_limited) as rate_limited, sum(timeouts) as timeouts,
           sum(refused) as refused, sum(fallbacks) as fallbacks, marketplace_private.sum_latency(latency) as latency
      from w group by source
  ), sources as (
    select coalesce(jsonb_object_agg(s.source, jsonb_build_object(
             'requests', s.requests, 'successes', s.successes, 'notModified', s.not_modified,
             'errors', s.errors, 'rateLimited', s.rate_limited, 'timeouts', s.timeouts, 'refused', s.refused,
             'fallbacks', s.fallbacks, 'latency', to_jsonb(s.latency),
             'quotaRemaining', q.quota_remaining, 'quotaLimit', q.quota_limit)), '{}'::jsonb) as value
      from per_source s
      left join lateral (
        -- The lowest quota of the latest minute that reported one, with its limit.
        select w.quota_remaining, w.quota_limit from w
         where w.source = s.source and w.quota_remaining is not null
         order by w.minute desc, w.quota_remaining, w.quota_limit desc nulls last
         limit 1
      ) q on true
  ), series as (
    select coalesce(jsonb_agg(jsonb_build_object(
             'minute', marketplace_private.iso_text(x.minute), 'source', x.source, 'requests', x.requests,
             'errors', x.errors, 'rateLimited', x.rate_limited, 'fallbacks', x.fallbacks, 'installs', x.installs)
             order by x.minute, x.source), '[]'::jsonb) as value
      from (select minute, source, sum(requests) as requests, sum(errors) as errors,
                   sum(rate_limited) as rate_limited, sum(fallbacks) as fallbacks, sum(installs) as installs
              from w group by minute, source) as x
  ), latest as (
    -- Installs of the latest complete minute per config version and source, summed over shards.
    select config_version, source, sum(installs) as installs from w where minute = v_latest
     group by config_version, source
  ), versions as (
    -- An install reading from both sources is counted by each: take the larger, not the sum.
    select coalesce(jsonb_agg(jsonb_build_object('configVersion', v.config_version, 'installs', v.installs)
             order by v.config_version desc), '[]'::jsonb) as value
      from (select config_version, max(installs) as installs from latest group by config_version) as v
  ), active as (
    select coalesce(max(installs), 0) as value
      from (select source, sum(installs) as installs from latest group by source) as a
  )
  select jsonb_build_object(
           'from', marketplace_private.iso_text(v_from),
           'to', marketplace_private.iso_text(v_to),
           'minutes', p_minutes,
           'sources', (select value from sources),
           'series', (select value from series),
           'versions', (select value from versions),
           'activeInstalls', (select value from active),
           'staleServes', (select coalesce(sum(stale_serves), 0) from w))
    into v_result;
  return v_result;
end
$$;
comment on function public.get_fleet_usage(integer) is
  'Marketplace admins (and service_role): fleet usage over the last p_minutes minutes (1 to 10080), as one jsonb {from, to, minutes, sources, series, versions, activeInstalls, staleServes} for the admin panel.';
revoke all on function public.get_fleet_usage(integer) from public, anon;
grant execute on function public.get_fleet_usage(integer) to authenticated, service_role;
