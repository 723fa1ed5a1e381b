-- Fleet alerts and fleet settings (issue 13, point 4: "Alerts", the kill switch of "Poisoning",
-- "Settings"; point 5: the alert feed).
--
-- The alert feed: every alert the Worker sends (automatic switch, automatic rollback, canary
-- promotion, mirror failing or recovered, a source unhealthy or recovered across the fleet) is
-- also kept here, and every change of the fleet settings is written to it by the function that
-- made it. Admins read it newest first; only the service role adds alerts; kept 90 days.
--
-- Fleet settings, one row, outside the config document (changing them makes no config version
-- and reaches no app):
--   automationPaused   the kill switch: while true, evaluate_fleet_automation takes no action
--                      (no switch, rollback or promotion) and says so; alerts still flow.
--   webhookUrl         where alerts are POSTed (https; http only to loopback where allowed); it
--                      wins over the Worker's ALERT_WEBHOOK_URL. Never shown back whole: a Slack
--                      webhook's path is its credential, so admins see the scheme and host only.
--   webhookSecret      the HMAC secret that signs alerts, 16–256 characters; write-only.
--   sourceAlert        {errorPercent 1–100, windowMinutes 1–60}: a source is unhealthy across the
--                      fleet when its errors exceed errorPercent of its requests over the last
--                      windowMinutes complete minutes (with the automation's minimum evidence: 20
--                      installs in the busiest minute and 100 requests); healthy again when not.
--
-- Who may do what:
--   get_fleet_settings(), update_fleet_settings(p_changes), get_fleet_alerts(p_limit, p_before_id)
--                      marketplace admins (and the service role, as every admin function)
--   record_fleet_alert(p_alert)   service_role only (the Worker)
--   evaluate_fleet_automation(p_now)   service_role only; now also answers sourceHealth (the
--                      transitions of this minute) and alertWebhook ({url, secret} or null)
--   fleet_alerts       select for service_role only; admins read through get_fleet_alerts
--
-- Error codes: 42501 not allowed; 22023 an invalid setting or alert (message names the field).

-- ── Tables ───────────────────────────────────────────────────────────────────────────────────

create table if not exists marketplace_private.fleet_settings (
  id boolean primary key default true,
  automation_paused boolean not null default false,
  webhook_url text,
  webhook_secret text,
  source_alert_error_percent numeric not null default 20,
  source_alert_window_minutes integer not null default 5,
  updated_at timestamptz,
  updated_by uuid,
  updated_by_email text,
  constraint fleet_settings_one_row check (id),
  constraint fleet_settings_error_percent check (source_alert_error_percent between 1 and 100),
  constraint fleet_settings_window check (source_alert_window_minutes between 1 and 60)
);
comment on table marketplace_private.fleet_settings is
  'One row: the automation kill switch, the alert webhook (URL and write-only secret) and the fleet-wide source health rule. Read and written only through get_fleet_settings, update_fleet_settings and evaluate_fleet_automation.';
insert into marketplace_private.fleet_settings (id) values (true) on conflict (id) do nothing;
revoke all on marketplace_private.fleet_settings from public;

create table if not exists public.fleet_alerts (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  event text not null,
  text text not null,
  details jsonb not null default '{}'::jsonb,
  constraint fleet_alerts_event check (event in ('auto-switch', 'auto-rollback', 'canary-promoted',
    'mirror-failing', 'mirror-recovered', 'source-unhealthy', 'source-recovered', 'settings-changed')),
  constraint fleet_alerts_text check (length(text) between 1 and 1000),
  constraint fleet_alerts_details check (jsonb_typeof(details) = 'object' and octet_length(details::text) <= 16384)
);
create index if not exists fleet_alerts_at on public.fleet_alerts (at);
comment on table public.fleet_alerts is
  'The alert feed: what the Worker sent to the webhook (or would have, with alerts off) and every change of the fleet settings. Newest first through get_fleet_alerts; kept 90 days.';
alter table public.fleet_alerts enable row level security;
revoke all on public.fleet_alerts from public, anon, authenticated;
grant select on public.fleet_alerts to service_role;

create table if not exists marketplace_private.fleet_source_health (
  source text primary key,
  unhealthy boolean not null,
  changed_at timestamptz not null
);
comment on table marketplace_private.fleet_source_health is
  'The fleet-wide health of each source as last judged by evaluate_fleet_automation, so that an alert is sent on a change only.';
revoke all on marketplace_private.fleet_source_health from public;

-- ── Settings ─────────────────────────────────────────────────────────────────────────────────

create or replace function marketplace_private.reject_fleet_setting(p_message text) returns void
language plpgsql set search_path = ''
as $$
begin
  raise exception 'invalid fleet settings: %', p_message
    using errcode = '22023', hint = 'Fix the setting named in the message; nothing was changed.';
end
$$;
comment on function marketplace_private.reject_fleet_setting(text) is
  'Private: raises 22023 "invalid fleet settings: <field> <problem>" (same wording as validateFleetSettingsChange in marketplace-core).';
revoke all on function marketplace_private.reject_fleet_setting(text) from public;

-- "https://hooks.slack.com/…": what may be shown of a webhook URL (its path can be a credential).
create or replace function marketplace_private.masked_url(p_url text) returns text
language sql immutable set search_path = ''
as $$
  select case when p_url is null then null
              else coalesce(substring(p_url from '^([A-Za-z][A-Za-z0-9+.-]*://[^/?#]*)'), '(hidden)')
                   || case when p_url ~ '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*[/?#].' then '/…' else '' end end
$$;
comment on function marketplace_private.masked_url(text) is
  'Private: scheme and host of a URL, "/…" when it has more (maskWebhookUrl in marketplace-core).';
revoke all on function marketplace_private.masked_url(text) from public;

create or replace function marketplace_private.fleet_settings_view(p_row marketplace_private.fleet_settings)
returns jsonb
language sql stable set search_path = ''
as $$
  select jsonb_build_object(
    'automationPaused', p_row.automation_paused,
    'webhookUrl', marketplace_private.masked_url(p_row.webhook_url),
    'webhookSecretSet', p_row.webhook_secret is not null,
    'sourceAlert', jsonb_build_object('errorPercent', p_row.source_alert_error_percent,
                                      'windowMinutes', p_row.source_alert_window_minutes),
    'updatedAt', marketplace_private.iso_text(p_row.updated_at),
    'updatedByEmail', p_row.updated_by_email)
$$;
comment on function marketplace_private.fleet_settings_view(marketplace_private.fleet_settings) is
  'Private: the settings as admins see them (webhook URL masked, secret never).';
revoke all on function marketplace_private.fleet_settings_view(marketplace_private.fleet_settings) from public;

create or replace function public.get_fleet_settings() returns jsonb
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_row marketplace_private.fleet_settings%rowtype;
begin
  perform marketplace_private.require_admin();
  select * into v_row from marketplace_private.fleet_settings where id;
  return marketplace_private.fleet_settings_view(v_row);
end
$$;
comment on function public.get_fleet_settings() is
  'Admins only: {automationPaused, webhookUrl (scheme and host only), webhookSecretSet, sourceAlert: {errorPercent, windowMinutes}, updatedAt, updatedByEmail}.';
revoke all on function public.get_fleet_settings() from public;
grant execute on function public.get_fleet_settings() to authenticated, service_role;

-- Applies the fields present in p_changes, validated first (all or nothing). A change that
-- changes nothing writes nothing. Each real change is one settings-changed entry in the feed,
-- saying who and what (never the secret, never the webhook URL's path).
create or replace function public.update_fleet_settings(p_changes jsonb) returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_old marketplace_private.fleet_settings%rowtype;
  v_new marketplace_private.fleet_settings%rowtype;
  v_key text;
  v_value jsonb;
  v_field text;
  v_num numeric;
  v_problem text;
  v_said text[] := '{}';
  v_email text;
  v_who text;
begin
  perform marketplace_private.require_admin();
  if jsonb_typeof(p_changes) is distinct from 'object' then
    perform marketplace_private.reject_fleet_setting('the changes must be an object');
  end if;
  select * into v_old from marketplace_private.fleet_settings where id for update;
  v_new := v_old;
  for v_key, v_value in select * from jsonb_each(p_changes) loop
    case v_key
      when 'automationPaused' then
        if jsonb_typeof(v_value) is distinct from 'boolean' then
          perform marketplace_private.reject_fleet_setting('automationPaused must be true or false');
        end if;
        v_new.automation_paused := (v_value #>> '{}')::boolean;
      when 'webhookUrl' then
        if jsonb_typeof(v_value) = 'null' or v_value = '""'::jsonb then
          v_new.webhook_url := null;
        elsif jsonb_typeof(v_value) <> 'string' then
          perform marketplace_private.reject_fleet_setting('webhookUrl must be a URL or null');
        else
          v_problem := marketplace_private.url_problem(v_value #>> '{}');
          if v_problem is not null then
            perform marketplace_private.reject_fleet_setting('webhookUrl ' || v_problem);
          end if;
          v_new.webhook_url := v_value #>> '{}';
        end if;
      when 'webhookSecret' then
        if jsonb_typeof(v_value) = 'null' then
          v_new.webhook_secret := null;
        elsif jsonb_typeof(v_value) <> 'string' or length(v_value #>> '{}') not between 16 and 256
              or (v_value #>> '{}') ~ '[[:space:][:cntrl:]]' then
          perform marketplace_private.reject_fleet_setting(
            'webhookSecret must be 16 to 256 characters without spaces or control characters, or null');
        else
          v_new.webhook_secret := v_value #>> '{}';
        end if;
      when 'sourceAlert' then
        if jsonb_typeof(v_value) is distinct from 'object' then
          perform marketplace_private.reject_fleet_setting('sourceAlert must be an object');
        end if;
        if v_value ? 'errorPercent' then
          v_num := marketplace_private.json_number(v_value -> 'errorPercent');
          if v_num is null or v_num not between 1 and 100 then
            perform marketplace_private.reject_fleet_setting('sourceAlert.errorPercent must be a number between 1 and 100');
          end if;
          v_new.source_alert_error_percent := v_num;
        end if;
        if v_value ? 'windowMinutes' then
          v_num := marketplace_private.json_number(v_value -> 'windowMinutes');
          if v_num is null or v_num % 1 <> 0 or v_num not between 1 and 60 then
            perform marketplace_private.reject_fleet_setting('sourceAlert.windowMinutes must be a whole number of minutes between 1 and 60');
          end if;
          v_new.source_alert_window_minutes := v_num::integer;
        end if;
        for v_field in select jsonb_object_keys(v_value) loop
          if v_field not in ('errorPercent', 'windowMinutes') then
            perform marketplace_private.reject_fleet_setting(format('sourceAlert.%s is not a setting', v_field));
          end if;
        end loop;
      else
        perform marketplace_private.reject_fleet_setting(format('%s is not a setting (automationPaused, webhookUrl, webhookSecret, sourceAlert)', v_key));
    end case;
  end loop;

  if v_new.automation_paused is distinct from v_old.automation_paused then
    v_said := v_said || case when v_new.automation_paused then 'paused the fleet automation (no automatic switch, rollback or promotion until resumed)'
                             else 'resumed the fleet automation' end;
  end if;
  if v_new.webhook_url is distinct from v_old.webhook_url then
    v_said := v_said || case when v_new.webhook_url is null then 'removed the alert webhook'
                             else 'set the alert webhook to ' || marketplace_private.masked_url(v_new.webhook_url) end;
  end if;
  if v_new.webhook_secret is distinct from v_old.webhook_secret then
    v_said := v_said || case when v_new.webhook_secret is null then 'removed the webhook secret (alerts unsigned)'
                             else 'changed the webhook secret' end;
  end if;
  if v_new.source_alert_error_percent is distinct from v_old.source_alert_error_percent
     or v_new.source_alert_window_minutes is distinct from v_old.source_alert_window_minutes then
    v_said := v_said || format('set the source health alert to errors above %s %% over %s min',
                               v_new.source_alert_error_percent, v_new.source_alert_window_minutes);
  end if;
  if cardinality(v_said) = 0 then
    return marketplace_private.fleet_settings_view(v_old);
  end if;

  if auth.uid() is not null then
    select a.email into v_email from public.marketplace_admins a where a.user_id = auth.uid();
  end if;
  v_who := coalesce(v_email, case when auth.role() = 'service_role' then 'the service role' else 'an admin' end);
  update marketplace_private.fleet_settings
     set automation_paused = v_new.automation_paused,
         webhook_url = v_new.webhook_url,
         webhook_secret = v_new.webhook_secret,
         source_alert_error_percent = v_new.source_alert_error_percent,
         source_alert_window_minutes = v_new.source_alert_window_minutes,
         updated_at = now(),
         updated_by = auth.uid(),
         updated_by_email = v_email
   where id
  returning * into v_new;
  insert into public.fleet_alerts (event, text, details)
  values ('settings-changed', left(v_who || ' ' || array_to_string(v_said, '; '), 1000),
          jsonb_build_object('by', v_who, 'changes', to_jsonb(v_said)));
  return marketplace_private.fleet_settings_view(v_new);
end
$$;
comment on function public.update_fleet_settings(jsonb) is
  'Admins only: applies {automationPaused?, webhookUrl? (null clears), webhookSecret? (null clears), sourceAlert?: {errorPercent?, windowMinutes?}}, all validated before any is applied; unknown fields are refused. Writes a settings-changed entry to the alert feed when something changed. Returns get_fleet_settings().';
revoke all on function public.update_fleet_settings(jsonb) from public;
grant execute on function public.update_fleet_settings(jsonb) to authenticated, service_role;

-- ── The alert feed ───────────────────────────────────────────────────────────────────────────

create or replace function public.get_fleet_alerts(p_limit integer default 50, p_before_id bigint default null)
returns table (id bigint, at timestamptz, event text, text text, details jsonb)
language plpgsql stable security definer set search_path = ''
as $$
begin
  perform marketplace_private.require_admin();
  return query
    select a.id, a.at, a.event, a.text, a.details from public.fleet_alerts a
     where p_before_id is null or a.id < p_before_id
     order by a.id desc
     limit least(greatest(coalesce(p_limit, 50), 1), 500);
end
$$;
comment on function public.get_fleet_alerts(integer, bigint) is
  'Admins only: the alert feed, newest first, at most p_limit (1–500, default 50), paged with p_before_id.';
revoke all on function public.get_fleet_alerts(integer, bigint) from public;
grant execute on function public.get_fleet_alerts(integer, bigint) to authenticated, service_role;

-- Adds one alert the Worker sends: {event, text, at?, details?}. `at` more than 5 minutes away
-- from now is replaced by now (a Worker's clock is not trusted to rewrite the feed's order).
-- Prunes entries older than 90 days.
create or replace function public.record_fleet_alert(p_alert jsonb) returns bigint
language plpgsql security definer set search_path = ''
as $$
declare
  v_at timestamptz;
  v_id bigint;
begin
  perform marketplace_private.require_service_role();
  if jsonb_typeof(p_alert) is distinct from 'object' then
    raise exception 'invalid alert: must be an object' using errcode = '22023';
  end if;
  if jsonb_typeof(p_alert -> 'event') is distinct from 'string' or (p_alert ->> 'event') not in (
       'auto-switch', 'auto-rollback', 'canary-promoted', 'mirror-failing', 'mirror-recovered',
       'source-unhealthy', 'source-recovered') then
    raise exception 'invalid alert: event must be one the Worker sends' using errcode = '22023';
  end if;
  if jsonb_typeof(p_alert -> 'text') is distinct from 'string' or length(p_alert ->> 'text') not between 1 and 1000 then
    raise exception 'invalid alert: text must be 1 to 1000 characters' using errcode = '22023';
  end if;
  if p_alert ? 'details' and (jsonb_typeof(p_alert -> 'details') <> 'object'
                             or octet_length((p_alert -> 'details')::text) > 16384) then
    raise exception 'invalid alert: details must be an object of at most 16 KB' using errcode = '22023';
  end if;
  v_at := case when jsonb_typeof(p_alert -> 'at') = 'string' then marketplace_private.iso_time(p_alert ->> 'at') end;
  if v_at is null or abs(extract(epoch from v_at - now())) > 300 then
    v_at := now();
  end if;
  insert into public.fleet_alerts (at, event, text, details)
  values (v_at, p_alert ->> 'event', p_alert ->> 'text', coalesce(p_alert -> 'details', '{}'::jsonb))
  returning fleet_alerts.id into v_id;
  delete from public.fleet_alerts where fleet_alerts.at < now() - interval '90 days';
  return v_id;
end
$$;
comment on function public.record_fleet_alert(jsonb) is
  'service_role only (the Worker, for each alert it sends): adds {event, text, at?, details?} to the alert feed; prunes entries older than 90 days. Returns the new id.';
revoke all on function public.record_fleet_alert(jsonb) from public, anon, authenticated;
grant execute on function public.record_fleet_alert(jsonb) to service_role;

-- ── Fleet-wide source health ─────────────────────────────────────────────────────────────────

-- The transitions of this minute: [{source, state: unhealthy|healthy, errorPercent, errors,
-- requests, installs, windowMinutes, thresholdPercent, from, to}], empty when nothing changed.
-- Without enough evidence a source keeps its state (no traffic is not health).
create or replace function marketplace_private.evaluate_source_health(p_now timestamptz) returns jsonb
language plpgsql set search_path = ''
as $$
declare
  c_min_installs constant bigint := 20;
  c_min_requests constant bigint := 100;
  v_settings marketplace_private.fleet_settings%rowtype;
  v_source text;
  v_to timestamptz := date_trunc('minute', p_now, 'UTC');
  v_from timestamptz;
  v_figures record;
  v_unhealthy boolean;
  v_was boolean;
  v_changes jsonb := '[]'::jsonb;
begin
  select * into v_settings from marketplace_private.fleet_settings where id;
  v_from := v_to - make_interval(mins => v_settings.source_alert_window_minutes);
  foreach v_source in array marketplace_private.usage_source_kinds() loop
    select * into v_figures from marketplace_private.source_errors(array[v_source], v_from, v_to);
    continue when v_figures.installs < c_min_installs or v_figures.requests < c_min_requests;
    v_unhealthy := v_figures.errors * 100 > v_settings.source_alert_error_percent * v_figures.requests;
    v_was := null;
    select h.unhealthy into v_was from marketplace_private.fleet_source_health h where h.source = v_source for update;
    continue when coalesce(v_was, false) = v_unhealthy;
    insert into marketplace_private.fleet_source_health (source, unhealthy, changed_at)
    values (v_source, v_unhealthy, p_now)
    on conflict (source) do update set unhealthy = excluded.unhealthy, changed_at = excluded.changed_at;
    v_changes := v_changes || jsonb_build_object(
      'source', v_source,
      'state', case when v_unhealthy then 'unhealthy' else 'healthy' end,
      'errorPercent', trunc(v_figures.errors * 100.0 / v_figures.requests, 1),
      'errors', v_figures.errors,
      'requests', v_figures.requests,
      'installs', v_figures.installs,
      'windowMinutes', v_settings.source_alert_window_minutes,
      'thresholdPercent', v_settings.source_alert_error_percent,
      'from', marketplace_private.iso_text(v_from),
      'to', marketplace_private.iso_text(v_to));
  end loop;
  return v_changes;
end
$$;
comment on function marketplace_private.evaluate_source_health(timestamptz) is
  'Private, called by evaluate_fleet_automation every minute: judges each source over the last sourceAlert.windowMinutes complete minutes (errors above sourceAlert.errorPercent of requests, with at least 20 installs in the busiest minute and 100 requests) and returns the changes since the last judgement.';
revoke all on function marketplace_private.evaluate_source_health(timestamptz) from public;

-- ── The evaluation: the kill switch, the actions, then source health and the webhook ────────

create or replace function public.evaluate_fleet_automation(p_now timestamptz default now()) returns jsonb
language plpgsql security definer set search_path = ''
as $$
declare
  v_now timestamptz := coalesce(p_now, now());
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
    v_answer := marketplace_private.evaluate_fleet_automation(v_now);
  end if;
  return v_answer || jsonb_build_object(
    'sourceHealth', marketplace_private.evaluate_source_health(v_now),
    'alertWebhook', case when v_settings.webhook_url is null then null
                         else jsonb_build_object('url', v_settings.webhook_url, 'secret', v_settings.webhook_secret) end);
end
$$;
comment on function public.evaluate_fleet_automation(timestamptz) is
  'service_role only (the Worker''s cron, every minute, with the service key). Unless an admin paused the automation (update_fleet_settings automationPaused, the kill switch): the rollout guard, then the automatic switch (see 20261201120000 and 20261201090000). Then, paused or not, the fleet-wide health of each source. Returns the action ({action: "rolled-back"|"switched"|"none", ...}, with paused: true when paused) plus sourceHealth (this minute''s changes: [{source, state, errorPercent, errors, requests, installs, windowMinutes, thresholdPercent, from, to}]) and alertWebhook ({url, secret} from the fleet settings, or null). p_now is for tests and replays; omit it.';
revoke all on function public.evaluate_fleet_automation(timestamptz) from public, anon, authenticated;
grant execute on function public.evaluate_fleet_automation(timestamptz) to service_role;
