-- Fleet telemetry, two weaknesses fixed (issue 13, follow-up to 20261130180000 and 20261130200000).
--
-- 1. Idempotent delivery. ingest_usage_aggregates adds rows to their minute, so a flush whose
--    answer was lost after the database committed was counted twice when the Worker sent it again.
--    The Worker now sends a batch id with each flush, the same id with the same rows on every
--    retry; ingest_usage_aggregates(p_rows, p_batch_id) records the ids it applied and adds a
--    batch whose id it already holds no second time. Ids are kept 3 hours (pruned with retention),
--    longer than any resend can come. The one-argument form stays for Workers deployed before
--    this one: it still adds every call, and is not idempotent.
-- 2. One vote per install. A few reports claiming huge rate-limited counts could outweigh honest
--    traffic in evaluate_fleet_automation. Rows now carry rateLimitedInstalls (distinct installs
--    of the row that reported rateLimited > 0 that minute; optional, 0 when absent), stored in
--    usage_minutes and usage_hours, and an automatic switch also needs the share of Git
--    install-minutes that were rate-limited to reach the threshold, besides the share of requests.
--    Rows from older Workers count no rate-limited install, so they never fire a switch.
--
-- Who may do what (unchanged roles):
--   ingest_usage_aggregates(p_rows, p_batch_id)  service_role only: the Worker (idempotent)
--   ingest_usage_aggregates(p_rows)              service_role only: older Workers (not idempotent)
--   prune_usage(), evaluate_fleet_automation()   service_role only, as before
--   marketplace_private.usage_batches            no API role; only the definer functions touch it
--
-- Error codes: 22023 an invalid batch or batch id (→ 400), nothing written; 42501 not allowed.

-- ── Rate-limited installs: a column in both usage tables ────────────────────────────────────

alter table public.usage_minutes add column if not exists rate_limited_installs bigint not null default 0;
alter table public.usage_hours add column if not exists rate_limited_installs bigint not null default 0;
comment on column public.usage_minutes.rate_limited_installs is
  'Of installs, those that reported a rate limit for this source this minute (UsageAggregateRow.rateLimitedInstalls); 0 in rows of Workers that did not send it.';
comment on column public.usage_hours.rate_limited_installs is
  'Rate-limited installs of the hour''s peak minute, as installs.';
do $$
begin
  alter table public.usage_minutes add constraint usage_minutes_rate_limited_installs
    check (rate_limited_installs >= 0);
exception when duplicate_object then null;
end
$$;
do $$
begin
  alter table public.usage_hours add constraint usage_hours_rate_limited_installs
    check (rate_limited_installs >= 0);
exception when duplicate_object then null;
end
$$;

-- ── Applied batches ─────────────────────────────────────────────────────────────────────────

-- One row per batch id ingest_usage_aggregates(p_rows, p_batch_id) applied; rows_md5 tells a
-- resend (same rows) from an id reused for other rows (a bug in the sender, refused).
create table if not exists marketplace_private.usage_batches (
  batch_id text primary key,
  applied_at timestamptz not null default now(),
  row_count integer not null,
  rows_md5 text not null
);
create index if not exists usage_batches_applied_at on marketplace_private.usage_batches (applied_at);
comment on table marketplace_private.usage_batches is
  'Batch ids ingest_usage_aggregates(p_rows, p_batch_id) has applied, so a resend is not added twice; kept 3 hours (prune_usage).';
revoke all on marketplace_private.usage_batches from public, anon, authenticated, service_role;

-- ── Validation, now with rateLimitedInstalls ────────────────────────────────────────────────

-- Raises 22023 naming the first problem of the first bad row; checks every row before any is
-- written. Exactly the fields of UsageAggregateRow: an unknown one is refused, not dropped, since
-- the only writer is our own Worker and a renamed field would otherwise be lost silently.
-- As of 20261201090000, rateLimitedInstalls is a field too, optional (older Workers do not send
-- it; absent means 0) and never more than the row's installs.
-- The checks are plain expressions, not helper calls: a helper with its own search_path costs
-- tens of microseconds a call, and a full batch makes some 25,000 checks.
create or replace function marketplace_private.validate_usage_rows(p_rows jsonb) returns void
language plpgsql stable set search_path = ''
as $$
declare
  c_fields constant text[] := array['minute', 'shard', 'source', 'configVersion', 'installs', 'reports',
    'requests', 'successes', 'notModified', 'errors', 'rateLimited', 'timeouts', 'refused', 'fallbacks',
    'staleServes', 'latency', 'quotaRemaining', 'quotaLimit'];
  -- Fields a row may leave out (older Workers do not send them): absent means 0.
  c_optional constant text[] := array['rateLimitedInstalls'];
  c_counters constant text[] := array['installs', 'rateLimitedInstalls', 'reports', 'requests', 'successes', 'notModified', 'errors',
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
    if v_row - c_fields - c_optional <> '{}'::jsonb then
      select min(k) into v_field from jsonb_object_keys(v_row - c_fields - c_optional) as k;
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
      continue when v_field = any (c_optional) and not v_row ? v_field;
      v_num := case when jsonb_typeof(v_row -> v_field) = 'number' then (v_row ->> v_field)::numeric end;
      if v_num is null or v_num % 1 <> 0 or v_num < 0 or v_num > c_max_count then
        perform marketplace_private.reject_usage(
          format('%s.%s must be a whole number between 0 and %s', v_at, v_field, c_max_count));
      end if;
    end loop;
    -- One vote per install: the rate-limited installs are some of the row's installs.
    if (v_row ->> 'rateLimitedInstalls')::numeric > (v_row ->> 'installs')::numeric then
      perform marketplace_private.reject_usage(v_at || '.rateLimitedInstalls must not exceed installs');
    end if;
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
  'Private, called by both forms of ingest_usage_aggregates: raises 22023 naming the row and field unless p_rows is an array of at most 1000 valid UsageAggregateRow objects (rateLimitedInstalls optional, at most installs).';
revoke all on function marketplace_private.validate_usage_rows(jsonb) from public;

-- ── Writing a validated batch ───────────────────────────────────────────────────────────────

-- The write of 20261130180000's ingest_usage_aggregates, plus rate_limited_installs, shared by
-- both forms. Rows of one batch with the same key are merged first (one upsert may touch a row
-- only once); rows are written in key order so that concurrent batches lock rows in the same order.
create or replace function marketplace_private.add_usage_rows(p_rows jsonb) returns integer
language plpgsql set search_path = ''
as $$
declare
  v_written integer;
begin
  with incoming as (
    -- Validated by the caller, so these casts cannot fail.
    select (r ->> 'minute')::timestamptz as minute,
           (r ->> 'shard')::numeric::smallint as shard,
           r ->> 'source' as source,
           (r ->> 'configVersion')::numeric::bigint as config_version,
           (r ->> 'installs')::numeric::bigint as installs,
           coalesce((r ->> 'rateLimitedInstalls')::numeric::bigint, 0) as rate_limited_installs,
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
           sum(installs) as installs, sum(rate_limited_installs) as rate_limited_installs,
           sum(reports) as reports, sum(requests) as requests,
           sum(successes) as successes, sum(not_modified) as not_modified, sum(errors) as errors,
           sum(rate_limited) as rate_limited, sum(timeouts) as timeouts, sum(refused) as refused,
           sum(fallbacks) as fallbacks, sum(stale_serves) as stale_serves,
           marketplace_private.sum_latency(latency) as latency,
           min(quota_remaining) as quota_remaining,
           (array_agg(quota_limit order by quota_remaining nulls last, quota_limit desc nulls last))[1] as quota_limit
      from incoming
     group by minute, shard, source, config_version
  )
  insert into public.usage_minutes as u (minute, shard, source, config_version, installs, rate_limited_installs,
    reports, requests, successes, not_modified, errors, rate_limited, timeouts, refused, fallbacks, stale_serves,
    latency, quota_remaining, quota_limit)
  select * from merged order by minute, shard, source, config_version
  on conflict (minute, shard, source, config_version) do update set
    -- Two batches of one minute hold different reports, so their installs add up too.
    installs = u.installs + excluded.installs,
    rate_limited_installs = u.rate_limited_installs + excluded.rate_limited_installs,
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
  return v_written;
end
$$;
comment on function marketplace_private.add_usage_rows(jsonb) is
  'Private, called by both forms of ingest_usage_aggregates after validate_usage_rows: adds each row to its minute (sums add, quota keeps the lowest); returns the number of minute rows written.';
revoke all on function marketplace_private.add_usage_rows(jsonb) from public;

-- ── Retention, now with rate-limited installs and batch ids ─────────────────────────────────

-- Rolls minutes older than 7 days into UTC hours (rate-limited installs, like installs: the peak
-- minute), deletes hours older than 90 days and applied batch ids older than 3 hours, as of
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
  v_batches bigint;
begin
  insert into marketplace_private.usage_retention (id, last_pruned_at) values (true, p_now)
  on conflict (id) do update set last_pruned_at = excluded.last_pruned_at;

  with moved as (
    delete from public.usage_minutes where minute < p_now - interval '7 days' returning *
  ), hours as (
    select date_trunc('hour', minute, 'UTC') as hour, shard, source, config_version,
           max(installs) as installs, max(rate_limited_installs) as rate_limited_installs, sum(reports) as reports, sum(requests) as requests,
           sum(successes) as successes, sum(not_modified) as not_modified, sum(errors) as errors,
           sum(rate_limited) as rate_limited, sum(timeouts) as timeouts, sum(refused) as refused,
           sum(fallbacks) as fallbacks, sum(stale_serves) as stale_serves,
           marketplace_private.sum_latency(latency) as latency,
           min(quota_remaining) as quota_remaining,
           (array_agg(quota_limit order by quota_remaining nulls last, quota_limit desc nulls last))[1] as quota_limit
      from moved
     group by 1, 2, 3, 4
  ), written as (
    insert into public.usage_hours as h (hour, shard, source, config_version, installs, rate_limited_installs,
      reports, requests,
      successes, not_modified, errors, rate_limited, timeouts, refused, fallbacks, stale_serves, latency,
      quota_remaining, quota_limit)
    select * from hours order by hour, shard, source, config_version
    on conflict (hour, shard, source, config_version) do update set
      installs = greatest(h.installs, excluded.installs),
      rate_limited_installs = greatest(h.rate_limited_installs, excluded.rate_limited_installs),
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
  -- Kept longer than any resend can come: the Worker drops a batch an hour after its first minute,
  -- and ingest refuses minutes older than 2 hours, so a batch sent again once its id is gone is
  -- refused whole (22023) instead of added twice.
  delete from marketplace_private.usage_batches where applied_at < p_now - interval '3 hours';
  get diagnostics v_batches = row_count;
  return jsonb_build_object('minutesRolledUp', v_rolled, 'hoursWritten', v_hours, 'hoursDeleted', v_deleted,
                            'batchIdsDeleted', v_batches);
end
$$;
comment on function marketplace_private.prune_usage(timestamptz) is
  'Private, called by prune_usage() and prune_usage_if_due (the owner may call it from a scheduler such as pg_cron): rolls minutes older than 7 days into hours, deletes hours older than 90 days and applied batch ids older than 3 hours; returns {minutesRolledUp, hoursWritten, hoursDeleted, batchIdsDeleted}.';
revoke all on function marketplace_private.prune_usage(timestamptz) from public;

-- ── Functions: the only way in ──────────────────────────────────────────────────────────────

-- The form older Workers call: unchanged behaviour (every call adds), now through the shared write.
create or replace function public.ingest_usage_aggregates(p_rows jsonb) returns integer
language plpgsql security definer set search_path = ''
as $$
declare
  v_written integer;
begin
  perform marketplace_private.require_service_role();
  perform marketplace_private.validate_usage_rows(p_rows);
  v_written := marketplace_private.add_usage_rows(p_rows);
  perform marketplace_private.prune_usage_if_due();
  return v_written;
end
$$;
comment on function public.ingest_usage_aggregates(jsonb) is
  'service_role only (edge Workers deployed before batch ids): validates a batch of at most 1000 UsageAggregateRow objects, refusing it whole with 22023 naming the row and field, then adds each row to its minute (sums add, quota keeps the lowest). NOT idempotent: a batch sent again is added again; Workers send p_batch_id instead. Returns the number of minute rows written. Prunes at most once an hour.';
revoke all on function public.ingest_usage_aggregates(jsonb) from public, anon, authenticated;
grant execute on function public.ingest_usage_aggregates(jsonb) to service_role;

-- The Worker's form. The batch id is recorded in the same transaction as the rows: a rolled-back
-- call records nothing, and of two concurrent calls with one id the second waits on the first's
-- key, then finds it applied. No default for p_batch_id: PostgREST must tell the forms apart by
-- their argument names.
create or replace function public.ingest_usage_aggregates(p_rows jsonb, p_batch_id text) returns integer
language plpgsql security definer set search_path = ''
as $$
declare
  v_written integer;
  v_md5 text;
  v_known text;
begin
  perform marketplace_private.require_service_role();
  if p_batch_id is null or p_batch_id !~ '^[A-Za-z0-9:._-]{1,128}$' then
    perform marketplace_private.reject_usage(
      'p_batch_id must be 1 to 128 characters of letters, digits and : . _ -, the same for every resend of a batch');
  end if;
  perform marketplace_private.validate_usage_rows(p_rows);
  v_md5 := md5(p_rows::text);
  insert into marketplace_private.usage_batches (batch_id, row_count, rows_md5)
  values (p_batch_id, jsonb_array_length(p_rows), v_md5)
  on conflict (batch_id) do nothing;
  get diagnostics v_written = row_count;
  if v_written = 0 then
    select rows_md5 into v_known from marketplace_private.usage_batches where batch_id = p_batch_id;
    if v_known is distinct from v_md5 then
      perform marketplace_private.reject_usage(format(
        'p_batch_id %s was already applied with other rows; a batch is resent unchanged, new rows take a new id',
        p_batch_id));
    end if;
    -- Already applied (an answer lost on the way back): nothing is added again.
    return 0;
  end if;
  v_written := marketplace_private.add_usage_rows(p_rows);
  perform marketplace_private.prune_usage_if_due();
  return v_written;
end
$$;
comment on function public.ingest_usage_aggregates(jsonb, text) is
  'service_role only (the edge Worker, with the service key as a Worker secret): like ingest_usage_aggregates(p_rows), but idempotent per p_batch_id: a batch whose id was applied in the last 3 hours is not added again (returns 0); an id reused with other rows is refused (22023). Returns the number of minute rows written. Prunes at most once an hour.';
revoke all on function public.ingest_usage_aggregates(jsonb, text) from public, anon, authenticated;
grant execute on function public.ingest_usage_aggregates(jsonb, text) to service_role;

-- ── The automatic switch: one vote per install ──────────────────────────────────────────────

comment on column public.app_config_history.evidence is
  'For origin auto-switch: the usage figures that fired it ({source, from, to, windowMinutes, installs, requests, rateLimited, rateLimitedPercent, installMinutes, rateLimitedInstallMinutes, rateLimitedInstallsPercent, thresholdPercent, minInstalls, minRequests}); null otherwise.';

-- Decides, and switches when it must. The config row is locked first, so of two concurrent
-- evaluations the second waits, then reads the first one's switch and finds the fleet on target.
create or replace function marketplace_private.evaluate_fleet_automation(p_now timestamptz) returns jsonb
language plpgsql set search_path = ''
as $$
declare
  -- Evidence a switch needs, so that a few poisoned reports cannot fire it. Installs are those of
  -- the window's busiest minute (summed over shards and config versions: the Worker counts each
  -- install in one shard and one row a minute), a lower bound of the distinct installs in the
  -- window; summing minutes would count one install once a minute.
  c_min_installs constant bigint := 20;
  c_min_requests constant bigint := 100;
  -- One vote per install (20261201090000): the share of install-minutes that saw a rate limit
  -- must reach the threshold too, so a few installs claiming huge counts cannot outvote the
  -- fleet. Summed over the window rather than the worst minute: a quiet minute cannot be taken
  -- over by a burst of fake reports.
  -- At most one automatic switch per cooldown, whatever admins do meanwhile.
  c_cooldown constant interval := interval '60 minutes';
  v_row public.app_config%rowtype;
  v_auto jsonb;
  v_target text;
  v_threshold numeric;
  v_window integer;
  v_to timestamptz;
  v_from timestamptz;
  v_installs bigint;
  v_requests bigint;
  v_limited bigint;
  v_percent numeric;
  v_install_minutes bigint;
  v_limited_installs bigint;
  v_install_percent numeric;
  v_evidence jsonb;
  v_preset record;
  v_on text;
  v_last timestamptz;
  v_reason text;
  v_written jsonb;
begin
  select * into v_row from public.app_config where config_key = 'marketplace_source' for update;
  if not found then
    return jsonb_build_object('action', 'none', 'reason', 'there is no marketplace_source config');
  end if;
  v_auto := v_row.config_value -> 'autoSwitch';
  if jsonb_typeof(v_auto) is distinct from 'object' or v_auto -> 'enabled' is distinct from 'true'::jsonb then
    return jsonb_build_object('action', 'none', 'reason', 'auto-switch is off');
  end if;
  -- Stored documents passed validate_marketplace_source; these only keep a hand-edited row from failing.
  v_target := v_auto ->> 'target';
  v_threshold := marketplace_private.json_number(v_auto -> 'rateLimitedPercent');
  v_window := case when marketplace_private.json_number(v_auto -> 'windowMinutes') between 1 and 1440
                   then (v_auto ->> 'windowMinutes')::numeric::integer end;
  select * into v_preset from marketplace_private.source_presets() p where p.id = v_target;
  if not found or v_threshold is null or v_window is null then
    return jsonb_build_object('action', 'none', 'reason', 'autoSwitch settings are invalid');
  end if;

  -- The complete minutes only: the current one is still being counted.
  v_to := date_trunc('minute', p_now, 'UTC');
  v_from := v_to - make_interval(mins => v_window);
  select coalesce(sum(requests), 0),
         -- Never more rate-limited than requests, whatever a row says.
         coalesce(sum(least(rate_limited, requests)), 0),
         coalesce(sum(installs), 0),
         coalesce(sum(least(rate_limited_installs, installs)), 0),
         coalesce((select max(n) from (select sum(m.installs) as n from public.usage_minutes m
                   where m.source = 'git' and m.minute >= v_from and m.minute < v_to group by m.minute) as per_minute), 0)
    into v_requests, v_limited, v_install_minutes, v_limited_installs, v_installs
    from public.usage_minutes
   where source = 'git' and minute >= v_from and minute < v_to;
  v_percent := case when v_requests > 0 then trunc(v_limited * 100.0 / v_requests, 1) else 0 end;
  v_install_percent := case when v_install_minutes > 0
                            then trunc(v_limited_installs * 100.0 / v_install_minutes, 1) else 0 end;
  v_evidence := jsonb_build_object(
    'source', 'git',
    'from', marketplace_private.iso_text(v_from),
    'to', marketplace_private.iso_text(v_to),
    'windowMinutes', v_window,
    'installs', v_installs,
    'requests', v_requests,
    'rateLimited', v_limited,
    'rateLimitedPercent', v_percent,
    'installMinutes', v_install_minutes,
    'rateLimitedInstallMinutes', v_limited_installs,
    'rateLimitedInstallsPercent', v_install_percent,
    'thresholdPercent', v_auto -> 'rateLimitedPercent',
    'minInstalls', c_min_installs,
    'minRequests', c_min_requests);

  v_on := marketplace_private.source_preset_of(v_row.config_value);
  -- A single source is its type; a hybrid is its type and order, as the admin presets compare.
  if (v_preset.type = 'hybrid' and v_on is not distinct from v_target)
     or (v_preset.type <> 'hybrid' and v_row.config_value ->> 'type' = v_preset.type) then
    return jsonb_build_object('action', 'none', 'reason', format('already on the target (%s)', v_target),
                              'evidence', v_evidence);
  end if;
  if v_installs < c_min_installs or v_requests < c_min_requests then
    return jsonb_build_object('action', 'none', 'evidence', v_evidence, 'reason', format(
      'not enough evidence: %s installs and %s Git requests over %s min (at least %s installs and %s requests are needed)',
      to_char(v_installs, 'FM999,999,999,999,990'), to_char(v_requests, 'FM999,999,999,999,990'), v_window,
      c_min_installs, c_min_requests));
  end if;
  -- Even with a threshold of 0: no rate limit, no switch.
  if v_limited = 0 then
    return jsonb_build_object('action', 'none', 'evidence', v_evidence,
                              'reason', format('no Git request was rate-limited over %s min', v_window));
  end if;
  -- Exact comparison; the percentage shown is truncated to one decimal.
  if v_limited * 100 < v_threshold * v_requests then
    return jsonb_build_object('action', 'none', 'evidence', v_evidence, 'reason', format(
      'below the threshold: Git rate-limited %s %% of %s requests over %s min < %s %%',
      to_char(v_percent, 'FM990.0'), to_char(v_requests, 'FM999,999,999,999,990'), v_window,
      v_auto ->> 'rateLimitedPercent'));
  end if;
  -- Rows of Workers older than rateLimitedInstalls count no rate-limited install: no switch on them.
  if v_limited_installs * 100 < v_threshold * v_install_minutes then
    return jsonb_build_object('action', 'none', 'evidence', v_evidence, 'reason', format(
      'too few installs rate-limited: %s %% of %s Git install-minutes over %s min < %s %% (one vote per install, whatever its counts)',
      to_char(v_install_percent, 'FM990.0'), to_char(v_install_minutes, 'FM999,999,999,999,990'), v_window,
      v_auto ->> 'rateLimitedPercent'));
  end if;
  select h.changed_at into v_last from public.app_config_history h
   where h.config_key = 'marketplace_source' and h.origin = 'auto-switch'
   order by h.id desc limit 1;
  if v_last is not null and p_now < v_last + c_cooldown then
    return jsonb_build_object('action', 'none', 'evidence', v_evidence, 'reason', format(
      'cooling down until %s (last automatic switch at %s)',
      marketplace_private.iso_text(v_last + c_cooldown), marketplace_private.iso_text(v_last)));
  end if;

  v_reason := format('auto-switch: Git rate-limited %s %% of %s requests from %s installs and %s %% of %s install-minutes over %s min ≥ %s %%',
    to_char(v_percent, 'FM990.0'), to_char(v_requests, 'FM999,999,999,999,990'),
    to_char(v_installs, 'FM999,999,999,999,990'), to_char(v_install_percent, 'FM990.0'),
    to_char(v_install_minutes, 'FM999,999,999,999,990'), v_window, v_auto ->> 'rateLimitedPercent');
  begin
    -- Every other field is kept: URLs, canary, TTL, unknown keys, autoSwitch itself.
    v_written := marketplace_private.write_config('marketplace_source',
      v_row.config_value || jsonb_build_object('type', v_preset.type, 'priority', v_preset.priority),
      v_reason, v_row.version, 'auto-switch', v_evidence);
  exception when invalid_parameter_value then
    -- e.g. a target whose URL the document lacks: said every minute, until an admin fixes it.
    return jsonb_build_object('action', 'none', 'evidence', v_evidence,
                              'reason', format('cannot switch to %s: %s', v_target, sqlerrm));
  end;
  return jsonb_build_object(
    'action', 'switched',
    'from', coalesce(v_on, v_row.config_value ->> 'type'),
    'to', v_target,
    'version', (v_written ->> 'version')::bigint,
    'evidence', v_evidence);
end
$$;
comment on function marketplace_private.evaluate_fleet_automation(timestamptz) is
  'Private, called by evaluate_fleet_automation(p_now) (the owner may call it from a scheduler such as pg_cron): switches marketplace_source to autoSwitch.target once when Git''s rate-limited share of requests and of install-minutes over the window''s complete minutes both reach the threshold, with enough evidence and outside the cooldown. Returns {action: switched|none, ...}.';
revoke all on function marketplace_private.evaluate_fleet_automation(timestamptz) from public;

create or replace function public.evaluate_fleet_automation(p_now timestamptz default now()) returns jsonb
language plpgsql security definer set search_path = ''
as $$
begin
  perform marketplace_private.require_service_role();
  return marketplace_private.evaluate_fleet_automation(coalesce(p_now, now()));
end
$$;
comment on function public.evaluate_fleet_automation(timestamptz) is
  'service_role only (the Worker''s cron, every minute, with the service key): if autoSwitch is enabled and Git was rate-limited at least rateLimitedPercent of its requests and of its install-minutes (one vote per install) over the last windowMinutes complete minutes (at least 20 installs in the busiest minute, 100 requests, one rate-limited), switches to autoSwitch.target once, at most once an hour, recording origin auto-switch with the evidence. Returns {action: "switched", from, to, version, evidence} or {action: "none", reason, evidence?}. p_now is for tests and replays; omit it.';
revoke all on function public.evaluate_fleet_automation(timestamptz) from public, anon, authenticated;
grant execute on function public.evaluate_fleet_automation(timestamptz) to service_role;
