-- Guarded rollout (issue 13, point 4, "Guarded rollout"). For `rolloutGuard.windowMinutes` after a
-- config change by an admin (update or rollback) or by the automatic switch, the Worker's cron
-- watches the sources the NEW config sends traffic to (its priority: git, cloudflare, or both).
-- When their error share over the complete minutes since the change exceeds
-- `rolloutGuard.errorPercent`, with enough evidence, and the same sources were not already that bad
-- over the same length of time before the change, the config is rolled back: the content of the
-- version before the change is written as a NEW version through write_config (validated, as
-- rollback_app_config does), origin `auto-rollback`, a reason in words and the figures as evidence.
--
-- `rolloutGuard` is optional in the document: absent means ON with the defaults (5 %, the
-- migration strategy's figure, over 10 minutes); `{ "enabled": false, ... }` is the kill switch.
--
-- Evidence, the automatic switch's minimums: at least 20 installs in the busiest minute on those
-- sources and 100 requests. Errors per install are not stored (usage_minutes has errors and
-- requests per source, and rate_limited_installs only for rate limits), so there is no vote per
-- install for errors; the share is that of requests. What bounds the harm of poisoned reports: the
-- rollback only ever restores a content the fleet ran before the change, at most once per change.
--
-- At most once per change: only a change whose origin is admin, rollback or auto-switch opens a
-- window, so a rollback (origin auto-rollback) is never rolled back; an admin who changes again
-- opens a new window for the new change, never a fight over the old one.
--
-- Who may do what (unchanged): evaluate_fleet_automation(p_now) service_role only.
-- Error codes: 22023 an invalid rolloutGuard on update (same messages as validateMarketplaceConfig).

-- ── History: a new origin ───────────────────────────────────────────────────────────────────

alter table public.app_config_history drop constraint if exists app_config_history_origin_check;
alter table public.app_config_history add constraint app_config_history_origin_check
  check (origin in ('migration', 'admin', 'rollback', 'auto-switch', 'auto-rollback'));
comment on column public.app_config_history.evidence is
  'For origin auto-switch: the usage figures that fired it ({source, from, to, windowMinutes, installs, requests, rateLimited, rateLimitedPercent, installMinutes, rateLimitedInstallMinutes, rateLimitedInstallsPercent, thresholdPercent, minInstalls, minRequests}); for origin auto-rollback: {sources, from, to, windowMinutes, changedVersion, restoredVersion, installs, requests, errors, errorPercent, guardPercent, before: {from, to, requests, errors, errorPercent}, minInstalls, minRequests}; null otherwise.';

-- ── Validation: rolloutGuard ────────────────────────────────────────────────────────────────

-- Raises 22023 on an invalid rolloutGuard, worded as config-schema.ts words it.
create or replace function marketplace_private.validate_rollout_guard(p_doc jsonb) returns void
language plpgsql immutable set search_path = ''
as $$
declare
  v_guard jsonb := p_doc -> 'rolloutGuard';
  v_num numeric;
begin
  if v_guard is null then return; end if;
  if jsonb_typeof(v_guard) <> 'object' then perform marketplace_private.reject('rolloutGuard must be an object'); end if;
  if jsonb_typeof(v_guard -> 'enabled') is distinct from 'boolean' then
    perform marketplace_private.reject('rolloutGuard.enabled must be true or false');
  end if;
  if coalesce(marketplace_private.json_number(v_guard -> 'errorPercent') not between 0 and 100, true) then
    perform marketplace_private.reject('rolloutGuard.errorPercent must be a number between 0 and 100');
  end if;
  v_num := marketplace_private.json_number(v_guard -> 'windowMinutes');
  if v_num is null or v_num % 1 <> 0 or v_num not between 1 and 1440 then
    perform marketplace_private.reject('rolloutGuard.windowMinutes must be a whole number of minutes between 1 and 1440');
  end if;
end
$$;
comment on function marketplace_private.validate_rollout_guard(jsonb) is
  'Private, called by validate_marketplace_source: raises 22023 unless rolloutGuard is absent or {enabled: boolean, errorPercent: 0..100, windowMinutes: 1..1440 whole}.';
revoke all on function marketplace_private.validate_rollout_guard(jsonb) from public;

-- 20261130160000's body, plus rolloutGuard after the field rules.
create or replace function marketplace_private.validate_marketplace_source(p_doc jsonb) returns void
language plpgsql stable set search_path = ''
as $$
begin
  if jsonb_typeof(p_doc) = 'object' and marketplace_private.nests_deeper_than(p_doc, 32) then
    perform marketplace_private.reject('must be nested at most 32 levels deep (the top-level object is level 1)');
  end if;
  perform marketplace_private.validate_marketplace_fields(p_doc);
  perform marketplace_private.validate_rollout_guard(p_doc);
end
$$;
comment on function marketplace_private.validate_marketplace_source(jsonb) is
  'Private, called by write_config on every update, rollback, automatic switch and automatic rollback: raises 22023 unless p_doc is a valid marketplace_source (same rules as validateMarketplaceConfig, rolloutGuard included).';
revoke all on function marketplace_private.validate_marketplace_source(jsonb) from public;

-- ── The automatic switch keeps its body under a new name ────────────────────────────────────

do $$
begin
  if to_regprocedure('marketplace_private.evaluate_auto_switch(timestamptz)') is null then
    alter function marketplace_private.evaluate_fleet_automation(timestamptz) rename to evaluate_auto_switch;
  end if;
end
$$;
comment on function marketplace_private.evaluate_auto_switch(timestamptz) is
  'Private, called by evaluate_fleet_automation after the rollout guard: the automatic switch on Git rate limits (body in migration 20261201090000). Returns {action: switched|none, ...}.';
revoke all on function marketplace_private.evaluate_auto_switch(timestamptz) from public;

-- ── The rollout guard ───────────────────────────────────────────────────────────────────────

-- Errors and requests of p_sources over [p_from, p_to), and installs in the busiest minute.
create or replace function marketplace_private.source_errors(p_sources text[], p_from timestamptz, p_to timestamptz)
returns table (installs bigint, requests bigint, errors bigint)
language sql stable set search_path = ''
as $$
  select coalesce((select max(n) from (select sum(m.installs) as n from public.usage_minutes m
                    where m.source = any (p_sources) and m.minute >= p_from and m.minute < p_to
                    group by m.minute) as per_minute), 0)::bigint,
         coalesce(sum(u.requests), 0)::bigint,
         -- Never more errors than requests, whatever a row says.
         coalesce(sum(least(u.errors, u.requests)), 0)::bigint
    from public.usage_minutes u
   where u.source = any (p_sources) and u.minute >= p_from and u.minute < p_to
$$;
comment on function marketplace_private.source_errors(text[], timestamptz, timestamptz) is
  'Private, used by evaluate_rollout_guard: installs of the busiest minute, requests and errors of the given sources over [p_from, p_to).';
revoke all on function marketplace_private.source_errors(text[], timestamptz, timestamptz) from public;

-- Returns {action: rolled-back, ...} when it rolled back, else {action: none, reason, evidence?}.
-- The caller holds the config row's lock, so of two concurrent evaluations the second reads the
-- first one's rollback as the latest change, whose origin opens no window.
create or replace function marketplace_private.evaluate_rollout_guard(p_now timestamptz) returns jsonb
language plpgsql set search_path = ''
as $$
declare
  c_min_installs constant bigint := 20;
  c_min_requests constant bigint := 100;
  c_default_percent constant numeric := 5;
  c_default_window constant integer := 10;
  v_row public.app_config%rowtype;
  v_change public.app_config_history%rowtype;
  v_guard jsonb;
  v_percent_json jsonb;
  v_guard_percent numeric;
  v_window integer;
  v_sources text[];
  v_from timestamptz;
  v_to timestamptz;
  v_now record;
  v_before record;
  v_share numeric;
  v_before_share numeric;
  v_evidence jsonb;
  v_names text;
  v_reason text;
  v_written jsonb;
begin
  select * into v_row from public.app_config where config_key = 'marketplace_source' for update;
  if not found then
    return jsonb_build_object('action', 'none', 'reason', 'there is no marketplace_source config');
  end if;
  v_guard := v_row.config_value -> 'rolloutGuard';
  if jsonb_typeof(v_guard) = 'object' and v_guard -> 'enabled' = 'false'::jsonb then
    return jsonb_build_object('action', 'none', 'reason', 'the rollout guard is off');
  end if;
  -- Absent means the defaults; a hand-edited invalid value falls back to them too.
  v_percent_json := coalesce(case when jsonb_typeof(v_guard -> 'errorPercent') = 'number' then v_guard -> 'errorPercent' end,
                             to_jsonb(c_default_percent));
  v_guard_percent := coalesce(marketplace_private.json_number(v_percent_json), c_default_percent);
  v_window := case when marketplace_private.json_number(v_guard -> 'windowMinutes') between 1 and 1440
                   then (v_guard ->> 'windowMinutes')::numeric::integer else c_default_window end;

  select * into v_change from public.app_config_history h
   where h.config_key = 'marketplace_source' order by h.id desc limit 1;
  if not found or v_change.version <> v_row.version or v_change.old_value is null then
    return jsonb_build_object('action', 'none', 'reason', 'no change to guard');
  end if;
  if v_change.origin not in ('admin', 'rollback', 'auto-switch') then
    return jsonb_build_object('action', 'none', 'reason',
      format('version %s came from %s, which the guard does not watch', v_row.version, v_change.origin));
  end if;
  if p_now >= v_change.changed_at + make_interval(mins => v_window) then
    return jsonb_build_object('action', 'none', 'reason',
      format('version %s is past its %s min guard window', v_row.version, v_window));
  end if;

  -- The sources the new config sends traffic to: its priority, or its type's default order.
  v_sources := array(select jsonb_array_elements_text(case
    when jsonb_typeof(v_row.config_value -> 'priority') = 'array' then v_row.config_value -> 'priority'
    when v_row.config_value ->> 'type' = 'hybrid' then '["cloudflare", "git"]'::jsonb
    else jsonb_build_array(v_row.config_value ->> 'type') end));
  -- Complete minutes wholly after the change; the same length of time just before it.
  v_from := date_trunc('minute', v_change.changed_at, 'UTC') + interval '1 minute';
  v_to := greatest(v_from, date_trunc('minute', p_now, 'UTC'));
  select * into v_now from marketplace_private.source_errors(v_sources, v_from, v_to);
  select * into v_before from marketplace_private.source_errors(v_sources,
    v_from - interval '1 minute' - make_interval(mins => v_window), v_from - interval '1 minute');
  v_share := case when v_now.requests > 0 then trunc(v_now.errors * 100.0 / v_now.requests, 1) else 0 end;
  v_before_share := case when v_before.requests > 0 then trunc(v_before.errors * 100.0 / v_before.requests, 1) else 0 end;
  v_evidence := jsonb_build_object(
    'sources', to_jsonb(v_sources),
    'from', marketplace_private.iso_text(v_from),
    'to', marketplace_private.iso_text(v_to),
    'windowMinutes', v_window,
    'changedVersion', v_row.version,
    'restoredVersion', v_row.version - 1,
    'installs', v_now.installs,
    'requests', v_now.requests,
    'errors', v_now.errors,
    'errorPercent', v_share,
    'guardPercent', v_percent_json,
    'before', jsonb_build_object(
      'from', marketplace_private.iso_text(v_from - interval '1 minute' - make_interval(mins => v_window)),
      'to', marketplace_private.iso_text(v_from - interval '1 minute'),
      'requests', v_before.requests, 'errors', v_before.errors, 'errorPercent', v_before_share),
    'minInstalls', c_min_installs,
    'minRequests', c_min_requests);
  v_names := array_to_string(array(select case s when 'cloudflare' then 'CDN' when 'git' then 'Git' else s end
                                     from unnest(v_sources) s), ' + ');

  if v_now.installs < c_min_installs or v_now.requests < c_min_requests then
    return jsonb_build_object('action', 'none', 'evidence', v_evidence, 'reason', format(
      'guarding version %s: not enough evidence yet, %s installs and %s %s requests (at least %s installs and %s requests are needed)',
      v_row.version, v_now.installs, v_now.requests, v_names, c_min_installs, c_min_requests));
  end if;
  -- Exact comparison; the percentage shown is truncated to one decimal.
  if v_now.errors * 100 <= v_guard_percent * v_now.requests then
    return jsonb_build_object('action', 'none', 'evidence', v_evidence, 'reason', format(
      'guarding version %s: %s errors %s %% of %s requests ≤ %s %%',
      v_row.version, v_names, to_char(v_share, 'FM990.0'), v_now.requests, v_percent_json));
  end if;
  if v_before.requests >= c_min_requests and v_before.errors * 100 > v_guard_percent * v_before.requests then
    return jsonb_build_object('action', 'none', 'evidence', v_evidence, 'reason', format(
      'guarding version %s: %s errors %s %%, but already %s %% before the change; rolling back would not help',
      v_row.version, v_names, to_char(v_share, 'FM990.0'), to_char(v_before_share, 'FM990.0')));
  end if;

  v_reason := format('auto-rollback: Cartae rolled back config v%s to v%s''s content as v%s: %s errors %s %% of %s requests over %s min > %s %%',
    v_row.version, v_row.version - 1, v_row.version + 1, v_names, to_char(v_share, 'FM990.0'),
    to_char(v_now.requests, 'FM999,999,999,999,990'), v_window, v_percent_json);
  begin
    v_written := marketplace_private.write_config('marketplace_source', v_change.old_value,
      v_reason, v_row.version, 'auto-rollback', v_evidence);
  exception when invalid_parameter_value then
    -- The earlier content no longer passes today's rules: said every minute of the window.
    return jsonb_build_object('action', 'none', 'evidence', v_evidence,
                              'reason', format('cannot roll back version %s: %s', v_row.version, sqlerrm));
  end;
  return jsonb_build_object(
    'action', 'rolled-back',
    'from', v_row.version,
    'to', (v_written ->> 'version')::bigint,
    'restored', v_row.version - 1,
    'reason', v_reason,
    'evidence', v_evidence);
end
$$;
comment on function marketplace_private.evaluate_rollout_guard(timestamptz) is
  'Private, called by evaluate_fleet_automation: within rolloutGuard.windowMinutes of a change by an admin or the automatic switch, rolls marketplace_source back to the previous content (a new version, origin auto-rollback) when the new config''s sources err above rolloutGuard.errorPercent with enough evidence and were not that bad before. Returns {action: rolled-back|none, ...}.';
revoke all on function marketplace_private.evaluate_rollout_guard(timestamptz) from public;

-- ── The evaluation: the guard first, then the automatic switch ──────────────────────────────

create or replace function marketplace_private.evaluate_fleet_automation(p_now timestamptz) returns jsonb
language plpgsql set search_path = ''
as $$
declare
  v_guard jsonb;
begin
  -- The lock both steps take, taken once first, so that concurrent evaluations run one at a time.
  perform 1 from public.app_config where config_key = 'marketplace_source' for update;
  v_guard := marketplace_private.evaluate_rollout_guard(p_now);
  if v_guard ->> 'action' = 'rolled-back' then
    return v_guard;
  end if;
  -- A rollback this minute is enough; otherwise the switch decides, and answers as before.
  return marketplace_private.evaluate_auto_switch(p_now);
end
$$;
comment on function marketplace_private.evaluate_fleet_automation(timestamptz) is
  'Private, called by evaluate_fleet_automation(p_now) (the owner may call it from a scheduler such as pg_cron): the rollout guard first (may roll back a recent change), then the automatic switch. Returns {action: rolled-back|switched|none, ...}.';
revoke all on function marketplace_private.evaluate_fleet_automation(timestamptz) from public;

comment on function public.evaluate_fleet_automation(timestamptz) is
  'service_role only (the Worker''s cron, every minute, with the service key). First the rollout guard: within rolloutGuard.windowMinutes (default 10) of a change by an admin or the automatic switch, if the new config''s sources err on more than rolloutGuard.errorPercent (default 5) of their requests (at least 20 installs in the busiest minute, 100 requests) and did not before the change, restores the previous content as a new version, origin auto-rollback, once per change. Then the automatic switch on Git rate limits (see 20261201090000). Returns {action: "rolled-back", from, to, restored, reason, evidence} or {action: "switched", from, to, version, evidence} or {action: "none", reason, evidence?}. p_now is for tests and replays; omit it.';
