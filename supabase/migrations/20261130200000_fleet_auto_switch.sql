-- Automatic switch on Git rate limits (issue 13, point 4, first part). When the share of Git
-- requests that were rate-limited, over the last `autoSwitch.windowMinutes` complete minutes of
-- fleet usage, reaches `autoSwitch.rateLimitedPercent`, the config switches once to
-- `autoSwitch.target`, then waits out a cooldown. The history entry has origin `auto-switch`, a
-- reason that states the figures, and the same figures as data in the new `evidence` column.
--
-- Who may do what:
--   evaluate_fleet_automation(p_now)  service_role only: the Worker's cron, every minute
--   update_app_config(...)            as before, but always recorded as origin `admin`: origin
--                                     `auto-switch` now comes from evaluate_fleet_automation only
--
-- Guards (constants in marketplace_private.evaluate_fleet_automation), so that a few poisoned
-- usage reports cannot fire it: at least 20 installs on Git in the window's busiest minute, at
-- least 100 Git requests over the window, at least one rate-limited request; at most one automatic
-- switch an hour; only ever toward the configured target; off unless `autoSwitch.enabled`.
--
-- Error codes: 42501 not the service role (→ 401 anon, 403 otherwise). Evaluation never fails on
-- the data: every outcome, a target that cannot be applied included, is a result.

-- ── History: the figures behind an automatic switch ─────────────────────────────────────────

alter table public.app_config_history add column if not exists evidence jsonb;
comment on column public.app_config_history.evidence is
  'For origin auto-switch: the usage figures that fired it ({source, from, to, windowMinutes, installs, requests, rateLimited, rateLimitedPercent, thresholdPercent, minInstalls, minRequests}); null otherwise.';

-- The trigger of 20251031000000, plus the evidence write_config passes in marketplace.change_evidence.
-- write_config sets that setting on every write (empty when there is none), so figures from one
-- write can never be recorded against another in the same transaction.
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
    (config_key, version, old_value, new_value, changed_by, changed_by_email, changed_by_name, reason, origin, evidence)
  values (
    new.config_key, new.version, case when tg_op = 'UPDATE' then old.config_value end, new.config_value,
    v_uid, v_email, v_name, nullif(current_setting('marketplace.change_reason', true), ''), v_origin,
    nullif(current_setting('marketplace.change_evidence', true), '')::jsonb
  );
  return new;
end
$$;
comment on function marketplace_private.record_config_history() is
  'Private, the app_config trigger: appends one history row per change, with who (auth.uid()), the reason, origin and evidence write_config set for this write.';
revoke all on function marketplace_private.record_config_history() from public;

-- ── One write path, now with evidence ──────────────────────────────────────────────────────

-- The write path of 20251031000000 (lock, expected version, validation, history), plus the
-- evidence recorded beside the reason.
create or replace function marketplace_private.write_config(
  p_config_key text, p_config_value jsonb, p_reason text, p_expected_version bigint, p_origin text, p_evidence jsonb
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
  perform set_config('marketplace.change_evidence', coalesce(p_evidence::text, ''), true);
  update public.app_config
     set config_value = p_config_value, version = v_row.version + 1, updated_at = now(), updated_by = auth.uid()
   where id = v_row.id
  returning * into v_row;
  return jsonb_build_object('config_value', v_row.config_value, 'version', v_row.version, 'updated_at', v_row.updated_at);
end
$$;
comment on function marketplace_private.write_config(text, jsonb, text, bigint, text, jsonb) is
  'Private, the only writer of app_config (update, rollback, automatic switch): lock, check the expected version (PT409), validate (22023), save as the next version; the trigger records reason, origin and evidence.';
revoke all on function marketplace_private.write_config(text, jsonb, text, bigint, text, jsonb) from public;

-- The five-argument form keeps working for any caller of it: a write without evidence.
create or replace function marketplace_private.write_config(
  p_config_key text, p_config_value jsonb, p_reason text, p_expected_version bigint, p_origin text
) returns jsonb
language sql security definer set search_path = ''
as $$
  select marketplace_private.write_config(p_config_key, p_config_value, p_reason, p_expected_version, p_origin, null::jsonb)
$$;
comment on function marketplace_private.write_config(text, jsonb, text, bigint, text) is
  'Private: write_config without evidence (kept for callers of the 20251031000000 signature).';
revoke all on function marketplace_private.write_config(text, jsonb, text, bigint, text) from public;

-- Closes the back door of 20251031000000: a service_role call whose reason began with
-- "auto-switch" was recorded as origin auto-switch. Every call is now origin admin, whoever the
-- caller; only evaluate_fleet_automation writes origin auto-switch, and only with its evidence.
create or replace function public.update_app_config(
  p_config_key text, p_config_value jsonb, p_reason text default null, p_expected_version bigint default null
) returns jsonb
language plpgsql security definer set search_path = ''
as $$
begin
  perform marketplace_private.require_admin();
  return marketplace_private.write_config(p_config_key, p_config_value, p_reason, p_expected_version, 'admin', null);
end
$$;
comment on function public.update_app_config(text, jsonb, text, bigint) is
  'Admins (and service_role, for scripts): validate and save a config, bump its version, record history with origin admin. Pass p_expected_version to refuse a lost update (PT409).';
revoke all on function public.update_app_config(text, jsonb, text, bigint) from public;
grant execute on function public.update_app_config(text, jsonb, text, bigint) to authenticated, service_role;

-- ── The four switches, as the admin panel's SOURCE_PRESETS define them ──────────────────────

-- One table for both directions: what a target writes, and which target a document is on.
create or replace function marketplace_private.source_presets()
returns table (id text, type text, priority jsonb)
language sql immutable set search_path = ''
as $$
  values ('git', 'git', '["git"]'::jsonb),
         ('cloudflare', 'cloudflare', '["cloudflare"]'::jsonb),
         ('hybrid-cdn-first', 'hybrid', '["cloudflare", "git"]'::jsonb),
         ('hybrid-git-first', 'hybrid', '["git", "cloudflare"]'::jsonb)
$$;
comment on function marketplace_private.source_presets() is
  'Private, used by evaluate_fleet_automation: the four switches (AUTO_SWITCH_TARGETS) with the type and priority each writes, as SOURCE_PRESETS of plugin-admin.';

-- The preset a document is in, as presetOf of plugin-admin decides: by type and priority, a
-- missing priority meaning the default order (hybrid: cloudflare then git; else the type alone).
create or replace function marketplace_private.source_preset_of(p_doc jsonb) returns text
language sql immutable set search_path = ''
as $$
  select p.id from marketplace_private.source_presets() p
   where p.type = p_doc ->> 'type'
     and p.priority = case
           when jsonb_typeof(p_doc -> 'priority') = 'array' then p_doc -> 'priority'
           when p_doc ->> 'type' = 'hybrid' then '["cloudflare", "git"]'::jsonb
           else jsonb_build_array(p_doc -> 'type')
         end
$$;
comment on function marketplace_private.source_preset_of(jsonb) is
  'Private, used by evaluate_fleet_automation: which of the four switches a document is in (presetOf of plugin-admin), or null.';

revoke all on function marketplace_private.source_presets(), marketplace_private.source_preset_of(jsonb) from public;

-- ── The evaluation ──────────────────────────────────────────────────────────────────────────

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
         coalesce((select max(n) from (select sum(m.installs) as n from public.usage_minutes m
                   where m.source = 'git' and m.minute >= v_from and m.minute < v_to group by m.minute) as per_minute), 0)
    into v_requests, v_limited, v_installs
    from public.usage_minutes
   where source = 'git' and minute >= v_from and minute < v_to;
  v_percent := case when v_requests > 0 then trunc(v_limited * 100.0 / v_requests, 1) else 0 end;
  v_evidence := jsonb_build_object(
    'source', 'git',
    'from', marketplace_private.iso_text(v_from),
    'to', marketplace_private.iso_text(v_to),
    'windowMinutes', v_window,
    'installs', v_installs,
    'requests', v_requests,
    'rateLimited', v_limited,
    'rateLimitedPercent', v_percent,
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
  select h.changed_at into v_last from public.app_config_history h
   where h.config_key = 'marketplace_source' and h.origin = 'auto-switch'
   order by h.id desc limit 1;
  if v_last is not null and p_now < v_last + c_cooldown then
    return jsonb_build_object('action', 'none', 'evidence', v_evidence, 'reason', format(
      'cooling down until %s (last automatic switch at %s)',
      marketplace_private.iso_text(v_last + c_cooldown), marketplace_private.iso_text(v_last)));
  end if;

  v_reason := format('auto-switch: Git rate-limited %s %% of %s requests from %s installs over %s min ≥ %s %%',
    to_char(v_percent, 'FM990.0'), to_char(v_requests, 'FM999,999,999,999,990'),
    to_char(v_installs, 'FM999,999,999,999,990'), v_window, v_auto ->> 'rateLimitedPercent');
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
  'Private, called by evaluate_fleet_automation(p_now) (the owner may call it from a scheduler such as pg_cron): switches marketplace_source to autoSwitch.target once when Git''s rate-limited share over the window''s complete minutes reaches the threshold, with enough evidence and outside the cooldown. Returns {action: switched|none, ...}.';
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
  'service_role only (the Worker''s cron, every minute, with the service key): if autoSwitch is enabled and Git was rate-limited at least rateLimitedPercent of its requests over the last windowMinutes complete minutes (at least 20 installs in the busiest minute, 100 requests, one rate-limited), switches to autoSwitch.target once, at most once an hour, recording origin auto-switch with the evidence. Returns {action: "switched", from, to, version, evidence} or {action: "none", reason, evidence?}. p_now is for tests and replays; omit it.';
revoke all on function public.evaluate_fleet_automation(timestamptz) from public, anon, authenticated;
grant execute on function public.evaluate_fleet_automation(timestamptz) to service_role;
