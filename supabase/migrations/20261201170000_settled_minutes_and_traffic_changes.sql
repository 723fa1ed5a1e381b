-- Two corrections found by the whole-stack test of the fleet automation (issue 13).
--
-- 1. Judge only minutes that have been delivered. The Worker delivers a minute's usage 90 s after
--    it starts (the minute, then 30 s for reports that ride on the next config poll:
--    infrastructure/cloudflare-worker/src/usage/usage-schedule.ts). The Cron Trigger calls
--    evaluate_fleet_automation at the start of a minute M, when minute M-1 is not delivered yet
--    (it arrives at M + 30 s): every window used to end with an empty minute, so a 1-minute window
--    never fired and a 10-minute one saw 9. The evaluation now judges the fleet as of 30 seconds
--    ago: the complete minutes before (now − 30 s) are all delivered. Everything the steps read at
--    p_now (windows, cooldowns, holds, the guard's window) moves by those 30 s, nothing else.
--
-- 2. The rollout guard watches changes that change where apps fetch from. An admin who only arms
--    the automatic switch, changes a TTL or the guard itself, sends no traffic anywhere new, and a
--    source that starts failing after such a change must be left to the automatic switch, not
--    "fixed" by rolling the harmless change back (which also disarmed the switch). The traffic
--    fields: type, priority (by default the type's order), canaryPercent (default 100), gitUrl,
--    cloudflareUrl.

-- ── The guard: the traffic check in front of 20261201160000's body ──────────────────────────

do $$
begin
  if to_regprocedure('marketplace_private.evaluate_traffic_guard(timestamptz)') is null then
    alter function marketplace_private.evaluate_rollout_guard(timestamptz) rename to evaluate_traffic_guard;
  end if;
end
$$;
comment on function marketplace_private.evaluate_traffic_guard(timestamptz) is
  'Private, called by evaluate_rollout_guard when the latest change changed where apps fetch from: the rollout guard''s rule (body in migration 20261201160000). Returns {action: rolled-back|none, ...}.';
revoke all on function marketplace_private.evaluate_traffic_guard(timestamptz) from public;

-- What decides where apps fetch from, with the defaults a reader applies.
create or replace function marketplace_private.traffic_of(p_doc jsonb) returns jsonb
language sql immutable set search_path = ''
as $$
  select jsonb_build_object(
    'type', p_doc -> 'type',
    'priority', coalesce(p_doc -> 'priority', case when p_doc ->> 'type' = 'hybrid' then '["cloudflare", "git"]'::jsonb
                                                    else jsonb_build_array(p_doc -> 'type') end),
    'canaryPercent', coalesce(p_doc -> 'canaryPercent', '100'::jsonb),
    'gitUrl', p_doc -> 'gitUrl',
    'cloudflareUrl', p_doc -> 'cloudflareUrl')
$$;
comment on function marketplace_private.traffic_of(jsonb) is
  'Private: the fields of a marketplace_source that decide where apps fetch from (type, priority, canaryPercent, gitUrl, cloudflareUrl), defaults applied.';
revoke all on function marketplace_private.traffic_of(jsonb) from public;

create or replace function marketplace_private.evaluate_rollout_guard(p_now timestamptz) returns jsonb
language plpgsql set search_path = ''
as $$
declare
  v_change public.app_config_history%rowtype;
begin
  select * into v_change from public.app_config_history h
   where h.config_key = 'marketplace_source' order by h.id desc limit 1;
  if found and v_change.old_value is not null
     and marketplace_private.traffic_of(v_change.old_value) = marketplace_private.traffic_of(v_change.new_value) then
    return jsonb_build_object('action', 'none', 'reason',
      format('version %s did not change where apps fetch from; nothing to guard', v_change.version));
  end if;
  return marketplace_private.evaluate_traffic_guard(p_now);
end
$$;
comment on function marketplace_private.evaluate_rollout_guard(timestamptz) is
  'Private, called by evaluate_fleet_automation: when the latest change changed where apps fetch from (traffic_of differs), the rollout guard (evaluate_traffic_guard); otherwise none. Returns {action: rolled-back|none, ...}.';
revoke all on function marketplace_private.evaluate_rollout_guard(timestamptz) from public;

-- ── The evaluation, judged as of 30 s ago ───────────────────────────────────────────────────

-- How long after a minute ends its usage is delivered: the Worker's SETTLE_MS.
create or replace function marketplace_private.usage_settle_delay() returns interval
language sql immutable set search_path = ''
as $$ select interval '30 seconds' $$;
comment on function marketplace_private.usage_settle_delay() is
  'Private: how long after a minute ends the Worker delivers its usage (SETTLE_MS of usage-schedule.ts); evaluations judge as of now minus this.';
revoke all on function marketplace_private.usage_settle_delay() from public;

create or replace function public.evaluate_fleet_automation(p_now timestamptz default now()) returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_judged timestamptz := coalesce(p_now, now()) - marketplace_private.usage_settle_delay();
  v_settings marketplace_private.fleet_settings%rowtype;
  v_answer jsonb;
begin
  perform marketplace_private.require_service_role();
  select * into v_settings from marketplace_private.fleet_settings where id;
  if v_settings.automation_paused then
    v_answer := jsonb_build_object('action', 'none', 'paused', true, 'reason', format(
      'the fleet automation is paused%s%s; no automatic switch, rollback or promotion until an admin resumes it',
      coalesce(' by ' || v_settings.updated_by_email, ''),
      coalesce(' since ' || marketplace_private.iso_text(v_settings.updated_at), '')));
  else
    v_answer := marketplace_private.evaluate_fleet_automation(v_judged);
  end if;
  return v_answer || jsonb_build_object(
    'sourceHealth', marketplace_private.evaluate_source_health(v_judged),
    'alertWebhook', case when v_settings.webhook_url is null then null
                         else jsonb_build_object('url', v_settings.webhook_url, 'secret', v_settings.webhook_secret) end);
end
$$;
comment on function public.evaluate_fleet_automation(timestamptz) is
  'service_role only (the Worker''s cron, every minute, with the service key). Judged as of p_now − 30 s (usage_settle_delay: every complete minute before then has been delivered). Unless an admin paused the automation (update_fleet_settings automationPaused, the kill switch): the rollout guard (only for a change that changed where apps fetch from), the canary ramp, then the automatic switch; at most one of them writes a version. Then, paused or not, the fleet-wide health of each source. Returns the action ({action: "rolled-back"|"promoted"|"switched"|"none", ...}, with paused: true when paused, and canaryRamp: {reason, evidence?} when a ramp held) plus sourceHealth (this minute''s changes) and alertWebhook ({url, secret} or null). p_now is for tests and replays; omit it.';
revoke all on function public.evaluate_fleet_automation(timestamptz) from public, anon, authenticated;
grant execute on function public.evaluate_fleet_automation(timestamptz) to service_role;
