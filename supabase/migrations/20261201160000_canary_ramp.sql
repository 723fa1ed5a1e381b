-- Canary ramp (issue 13, point 4, "optionally a scheduled ramp … that promotes only while the
-- guard holds"; the migration strategy's Phase 3 option B: canary 10 %, watch, then 100 %).
--
-- `canaryRamp` {enabled, steps, holdMinutes} in the marketplace_source document, optional:
--   steps        the canaryPercent values to go through: 1–10 whole percentages, strictly
--                increasing, the last 100 (e.g. [10, 50, 100]);
--   holdMinutes  how long each step holds before the next, 1–10080 (a week).
-- Each minute, on a hybrid config whose ramp is enabled and whose canaryPercent is below 100,
-- once the latest change is holdMinutes old, the canary source (priority[0], the one the canary
-- share tries first) is judged over the complete minutes since that change: with enough evidence
-- (20 installs in the busiest minute, 100 requests) and its errors at most the rollout guard's
-- errorPercent (5 % by default, whether the guard is on or off), canaryPercent is raised to the
-- next step above it, as a new version with origin `auto-ramp`, a reason and the evidence. A
-- promotion opens a new guard window like any change, so a bad step is rolled back by the guard
-- (origin auto-rollback) — and a rollback stops the ramp: it resumes only after an admin's change.
-- Without enough evidence the ramp waits; it never promotes on silence.
--
-- The order each minute: the rollout guard, then the ramp, then the automatic switch; at most one
-- of them writes a version in a minute.
--
-- Who may do what (unchanged): evaluate_fleet_automation(p_now) service_role only.
-- Error codes: 22023 an invalid canaryRamp on update (same messages as validateMarketplaceConfig).

-- ── History: a new origin ───────────────────────────────────────────────────────────────────

alter table public.app_config_history drop constraint if exists app_config_history_origin_check;
alter table public.app_config_history add constraint app_config_history_origin_check
  check (origin in ('migration', 'admin', 'rollback', 'auto-switch', 'auto-rollback', 'auto-ramp'));
comment on column public.app_config_history.evidence is
  'For origin auto-switch: the usage figures that fired it (see 20261130200000); for origin auto-rollback: {sources, from, to, windowMinutes, changedVersion, restoredVersion, installs, requests, errors, errorPercent, guardPercent, before, minInstalls, minRequests}; for origin auto-ramp: {source, fromPercent, toPercent, steps, holdMinutes, from, to, installs, requests, errors, errorPercent, guardPercent, minInstalls, minRequests}; null otherwise.';

-- ── Validation: canaryRamp ──────────────────────────────────────────────────────────────────

-- Raises 22023 on an invalid canaryRamp, worded as config-schema.ts words it.
create or replace function marketplace_private.validate_canary_ramp(p_doc jsonb) returns void
language plpgsql stable set search_path = ''
as $$
declare
  c_steps_message constant text := 'canaryRamp.steps must be 1 to 10 whole percentages between 1 and 100, increasing, the last 100';
  v_ramp jsonb := p_doc -> 'canaryRamp';
  v_steps jsonb;
  v_step jsonb;
  v_value numeric;
  v_previous numeric := 0;
  v_num numeric;
begin
  if v_ramp is null then return; end if;
  if jsonb_typeof(v_ramp) <> 'object' then perform marketplace_private.reject('canaryRamp must be an object'); end if;
  if jsonb_typeof(v_ramp -> 'enabled') is distinct from 'boolean' then
    perform marketplace_private.reject('canaryRamp.enabled must be true or false');
  end if;
  v_steps := v_ramp -> 'steps';
  if jsonb_typeof(v_steps) is distinct from 'array' or jsonb_array_length(v_steps) not between 1 and 10 then
    perform marketplace_private.reject(c_steps_message);
  end if;
  for v_step in select value from jsonb_array_elements(v_steps) loop
    v_value := marketplace_private.json_number(v_step);
    if v_value is null or v_value % 1 <> 0 or v_value not between 1 and 100 or v_value <= v_previous then
      perform marketplace_private.reject(c_steps_message);
    end if;
    v_previous := v_value;
  end loop;
  if v_previous <> 100 then perform marketplace_private.reject(c_steps_message); end if;
  v_num := marketplace_private.json_number(v_ramp -> 'holdMinutes');
  if v_num is null or v_num % 1 <> 0 or v_num not between 1 and 10080 then
    perform marketplace_private.reject('canaryRamp.holdMinutes must be a whole number of minutes between 1 and 10080');
  end if;
end
$$;
comment on function marketplace_private.validate_canary_ramp(jsonb) is
  'Private, called by validate_marketplace_source: raises 22023 unless canaryRamp is absent or {enabled: boolean, steps: 1–10 increasing whole percentages ending at 100, holdMinutes: 1..10080 whole}.';
revoke all on function marketplace_private.validate_canary_ramp(jsonb) from public;

-- 20261201120000's body, plus canaryRamp after rolloutGuard.
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
end
$$;
comment on function marketplace_private.validate_marketplace_source(jsonb) is
  'Private, called by write_config on every update, rollback, automatic switch, rollback and promotion: raises 22023 unless p_doc is a valid marketplace_source (same rules as validateMarketplaceConfig, rolloutGuard and canaryRamp included).';
revoke all on function marketplace_private.validate_marketplace_source(jsonb) from public;

-- ── The rollout guard: 20261201120000's body, now also watching the ramp's promotions ───────

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
  if v_change.origin not in ('admin', 'rollback', 'auto-switch', 'auto-ramp') then
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
  'Private, called by evaluate_fleet_automation: within rolloutGuard.windowMinutes of a change by an admin, the automatic switch or the canary ramp, rolls marketplace_source back to the previous content (a new version, origin auto-rollback) when the new config''s sources err above rolloutGuard.errorPercent with enough evidence and were not that bad before. Returns {action: rolled-back|none, ...}.';
revoke all on function marketplace_private.evaluate_rollout_guard(timestamptz) from public;

-- ── The ramp ────────────────────────────────────────────────────────────────────────────────

-- Returns {action: promoted, from, to, version, reason, evidence} when it raised canaryPercent,
-- else {action: none, reason, evidence?}. The caller holds the config row's lock.
create or replace function marketplace_private.evaluate_canary_ramp(p_now timestamptz) returns jsonb
language plpgsql set search_path = ''
as $$
declare
  c_min_installs constant bigint := 20;
  c_min_requests constant bigint := 100;
  c_default_percent constant numeric := 5;
  v_row public.app_config%rowtype;
  v_change public.app_config_history%rowtype;
  v_doc jsonb;
  v_ramp jsonb;
  v_hold integer;
  v_percent numeric;
  v_next numeric;
  v_source text;
  v_guard_json jsonb;
  v_guard_percent numeric;
  v_from timestamptz;
  v_to timestamptz;
  v_figures record;
  v_share numeric;
  v_evidence jsonb;
  v_name text;
  v_reason text;
  v_written jsonb;
begin
  select * into v_row from public.app_config where config_key = 'marketplace_source' for update;
  if not found then
    return jsonb_build_object('action', 'none', 'reason', 'there is no marketplace_source config');
  end if;
  v_doc := v_row.config_value;
  v_ramp := v_doc -> 'canaryRamp';
  if jsonb_typeof(v_ramp) is distinct from 'object' or v_ramp -> 'enabled' is distinct from 'true'::jsonb then
    return jsonb_build_object('action', 'none', 'reason', 'no canary ramp');
  end if;
  if v_doc ->> 'type' is distinct from 'hybrid' then
    return jsonb_build_object('action', 'none', 'reason', 'the canary ramp applies to hybrid configs only');
  end if;
  v_percent := coalesce(marketplace_private.json_number(v_doc -> 'canaryPercent'), 100);
  select min(s.value) into v_next
    from (select marketplace_private.json_number(e) as value from jsonb_array_elements(v_ramp -> 'steps') e) s
   where s.value > v_percent;
  if v_percent >= 100 or v_next is null then
    return jsonb_build_object('action', 'none', 'reason', format('the canary ramp is complete at %s %%', v_percent));
  end if;
  v_hold := case when marketplace_private.json_number(v_ramp -> 'holdMinutes') between 1 and 10080
                 then (v_ramp ->> 'holdMinutes')::numeric::integer end;
  if v_hold is null then
    return jsonb_build_object('action', 'none', 'reason', 'canaryRamp settings are invalid');
  end if;

  select * into v_change from public.app_config_history h
   where h.config_key = 'marketplace_source' order by h.id desc limit 1;
  if found and v_change.origin = 'auto-rollback' then
    return jsonb_build_object('action', 'none', 'reason', format(
      'the canary ramp stopped: version %s was rolled back automatically; it resumes after an admin''s change',
      v_change.version - 1));
  end if;
  v_from := date_trunc('minute', coalesce(v_change.changed_at, v_row.updated_at), 'UTC') + interval '1 minute';
  if p_now < coalesce(v_change.changed_at, v_row.updated_at) + make_interval(mins => v_hold) then
    return jsonb_build_object('action', 'none', 'reason', format(
      'canary at %s %%: holding until %s before %s %%', v_percent,
      marketplace_private.iso_text(coalesce(v_change.changed_at, v_row.updated_at) + make_interval(mins => v_hold)), v_next));
  end if;

  -- The canary source: the one the canary share tries first.
  v_source := coalesce(v_doc -> 'priority' ->> 0, 'cloudflare');
  v_name := case v_source when 'cloudflare' then 'CDN' when 'git' then 'Git' else v_source end;
  v_guard_json := case when jsonb_typeof(v_doc -> 'rolloutGuard' -> 'errorPercent') = 'number'
                       then v_doc -> 'rolloutGuard' -> 'errorPercent' else to_jsonb(c_default_percent) end;
  v_guard_percent := marketplace_private.json_number(v_guard_json);
  v_to := greatest(v_from, date_trunc('minute', p_now, 'UTC'));
  select * into v_figures from marketplace_private.source_errors(array[v_source], v_from, v_to);
  v_share := case when v_figures.requests > 0 then trunc(v_figures.errors * 100.0 / v_figures.requests, 1) else 0 end;
  v_evidence := jsonb_build_object(
    'source', v_source,
    'fromPercent', v_percent,
    'toPercent', v_next,
    'steps', v_ramp -> 'steps',
    'holdMinutes', v_hold,
    'from', marketplace_private.iso_text(v_from),
    'to', marketplace_private.iso_text(v_to),
    'installs', v_figures.installs,
    'requests', v_figures.requests,
    'errors', v_figures.errors,
    'errorPercent', v_share,
    'guardPercent', v_guard_json,
    'minInstalls', c_min_installs,
    'minRequests', c_min_requests);
  if v_figures.installs < c_min_installs or v_figures.requests < c_min_requests then
    return jsonb_build_object('action', 'none', 'evidence', v_evidence, 'reason', format(
      'canary at %s %%: not enough evidence to promote yet, %s installs and %s %s requests (at least %s installs and %s requests are needed)',
      v_percent, v_figures.installs, v_figures.requests, v_name, c_min_installs, c_min_requests));
  end if;
  if v_figures.errors * 100 > v_guard_percent * v_figures.requests then
    return jsonb_build_object('action', 'none', 'evidence', v_evidence, 'reason', format(
      'canary at %s %%: not promoted, %s errors %s %% of %s requests > %s %%',
      v_percent, v_name, to_char(v_share, 'FM990.0'), v_figures.requests, v_guard_json));
  end if;

  v_reason := format('auto-ramp: Cartae raised the canary from %s %% to %s %% after %s min: %s errors %s %% of %s requests ≤ %s %%',
    v_percent, v_next, v_hold, v_name, to_char(v_share, 'FM990.0'),
    to_char(v_figures.requests, 'FM999,999,999,999,990'), v_guard_json);
  begin
    v_written := marketplace_private.write_config('marketplace_source',
      jsonb_set(v_doc, '{canaryPercent}', to_jsonb(v_next)), v_reason, v_row.version, 'auto-ramp', v_evidence);
  exception when invalid_parameter_value then
    return jsonb_build_object('action', 'none', 'evidence', v_evidence,
                              'reason', format('cannot promote version %s: %s', v_row.version, sqlerrm));
  end;
  return jsonb_build_object(
    'action', 'promoted',
    'from', v_percent,
    'to', v_next,
    'version', (v_written ->> 'version')::bigint,
    'reason', v_reason,
    'evidence', v_evidence);
end
$$;
comment on function marketplace_private.evaluate_canary_ramp(timestamptz) is
  'Private, called by evaluate_fleet_automation after the rollout guard: on a hybrid config with canaryRamp enabled, once the latest change is holdMinutes old and the canary source erred at most the guard''s errorPercent with enough evidence, raises canaryPercent to the next step (a new version, origin auto-ramp). Stops after an automatic rollback until an admin changes the config. Returns {action: promoted|none, ...}.';
revoke all on function marketplace_private.evaluate_canary_ramp(timestamptz) from public;

-- ── The evaluation: the guard, the ramp, then the automatic switch ──────────────────────────

create or replace function marketplace_private.evaluate_fleet_automation(p_now timestamptz) returns jsonb
language plpgsql set search_path = ''
as $$
declare
  v_step jsonb;
begin
  -- The lock every step takes, taken once first, so that concurrent evaluations run one at a time.
  perform 1 from public.app_config where config_key = 'marketplace_source' for update;
  v_step := marketplace_private.evaluate_rollout_guard(p_now);
  if v_step ->> 'action' = 'rolled-back' then
    return v_step;
  end if;
  v_step := marketplace_private.evaluate_canary_ramp(p_now);
  if v_step ->> 'action' = 'promoted' then
    return v_step;
  end if;
  -- Nothing written this minute: the switch decides, and answers as before, with what the ramp
  -- said when there is a ramp (why it holds).
  return marketplace_private.evaluate_auto_switch(p_now)
    || case when v_step ->> 'reason' = 'no canary ramp' then '{}'::jsonb
            else jsonb_build_object('canaryRamp', v_step - 'action') end;
end
$$;
comment on function marketplace_private.evaluate_fleet_automation(timestamptz) is
  'Private, called by evaluate_fleet_automation(p_now) unless the automation is paused: the rollout guard (may roll back a recent change), then the canary ramp (may promote), then the automatic switch. Returns {action: rolled-back|promoted|switched|none, ...}; when the switch answers and a ramp is configured, canaryRamp: {reason, evidence?} says why the ramp held.';
revoke all on function marketplace_private.evaluate_fleet_automation(timestamptz) from public;

comment on function public.evaluate_fleet_automation(timestamptz) is
  'service_role only (the Worker''s cron, every minute, with the service key). Unless an admin paused the automation (update_fleet_settings automationPaused, the kill switch): the rollout guard (20261201120000), the canary ramp (20261201160000), then the automatic switch (20261201090000); at most one of them writes a version. Then, paused or not, the fleet-wide health of each source (20261201150000). Returns the action ({action: "rolled-back"|"promoted"|"switched"|"none", ...}, with paused: true when paused, and canaryRamp: {reason, evidence?} when a ramp held) plus sourceHealth (this minute''s changes) and alertWebhook ({url, secret} or null). p_now is for tests and replays; omit it.';
