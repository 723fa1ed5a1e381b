-- A change that changes nothing makes no version, and a rollback checks the expected version
-- (issue 14, points 3 and 4; SPEC 4.8). One canary rule: canaryPercent is a whole number.
--
-- 1. write_config, the only writer of app_config (update_app_config, rollback_app_config, the
--    automatic switch, rollback and ramp), no longer writes a document equal to the stored one
--    (jsonb equality: key order and number spelling do not count). It answers the current state
--    with "changed": false, HTTP 200 through PostgREST, and records no history. Every write that
--    does happen answers "changed": true. The answer's shape is otherwise unchanged:
--      {config_value, version, updated_at, changed}
--    Order: lock the row; when the document equals the stored one, validate it (22023, so an
--    equal but now-invalid document is refused as any other) and answer changed: false — even
--    with a stale p_expected_version, since what the caller asked for already holds and nothing
--    can be lost; otherwise as before: expected version (PT409), validation (22023), write.
-- 2. rollback_app_config(p_history_id, p_reason, p_expected_version): the same expected-version
--    check as update_app_config (PT409 → HTTP 409 on a stale one). Rolling back to the current
--    content answers changed: false and makes no version.
-- 3. canaryPercent must be a whole number between 0 and 100 (10,000 buckets stay, an operator
--    thinks in whole percent). Same words as validateMarketplaceConfig in @cartae/marketplace-core.
--    Resolvers keep reading a fractional canary stored before this rule.
--
-- Error codes: 22023 invalid document, PT404 unknown config or history entry, PT409 stale
-- expected version, 42501 not an admin. "Nothing changed" is not an error.

-- ── One canary rule ─────────────────────────────────────────────────────────────────────────

-- 20251031000000's field rules (renamed validate_marketplace_fields by 20261130160000), with
-- the one change: canaryPercent a whole number. The wrappers of later migrations call it.
create or replace function marketplace_private.validate_marketplace_fields(p_doc jsonb) returns void
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
    v_num := marketplace_private.json_number(p_doc -> 'canaryPercent');
    if v_num is null or v_num % 1 <> 0 or v_num not between 0 and 100 then
      perform marketplace_private.reject('canaryPercent must be a whole number between 0 and 100');
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
comment on function marketplace_private.validate_marketplace_fields(jsonb) is
  'Private, called by validate_marketplace_source: the field rules of marketplace_source (type, priority, URLs, canaryPercent a whole number 0..100, TTL, health, autoSwitch); raises 22023 naming the first problem, in the words of validateMarketplaceConfig.';
revoke all on function marketplace_private.validate_marketplace_fields(jsonb) from public;

-- ── No empty versions ───────────────────────────────────────────────────────────────────────

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
  if p_config_value = v_row.config_value then
    if p_config_key = 'marketplace_source' then
      perform marketplace_private.validate_marketplace_source(p_config_value);
    end if;
    return jsonb_build_object('config_value', v_row.config_value, 'version', v_row.version,
                              'updated_at', v_row.updated_at, 'changed', false);
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
  return jsonb_build_object('config_value', v_row.config_value, 'version', v_row.version,
                            'updated_at', v_row.updated_at, 'changed', true);
end
$$;
comment on function marketplace_private.write_config(text, jsonb, text, bigint, text, jsonb) is
  'Private, the only writer of app_config (update, rollback, automatic switch, rollback and ramp): lock; a document equal to the stored one is validated and answered as it is with changed: false (no version, no history, whatever the expected version); otherwise check the expected version (PT409), validate (22023), save as the next version with changed: true; the trigger records reason, origin and evidence.';
revoke all on function marketplace_private.write_config(text, jsonb, text, bigint, text, jsonb) from public;

comment on function public.update_app_config(text, jsonb, text, bigint) is
  'Admins (and service_role, for scripts): validate and save a config, bump its version, record history with origin admin; answers {config_value, version, updated_at, changed}. A document equal to the current one makes no version (changed: false). Pass p_expected_version to refuse a lost update (PT409).';

-- The two-argument form would make a call with two arguments ambiguous (PostgREST and SQL alike).
drop function if exists public.rollback_app_config(bigint, text);
create or replace function public.rollback_app_config(
  p_history_id bigint, p_reason text default null, p_expected_version bigint default null
) returns jsonb
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
    coalesce(p_reason, format('rollback to version %s (history #%s)', v_entry.version, v_entry.id)),
    p_expected_version, 'rollback', null);
end
$$;
comment on function public.rollback_app_config(bigint, text, bigint) is
  'Admins: restore the config recorded by one history entry as a new version with origin rollback; answers {config_value, version, updated_at, changed}. Rolling back to the current content makes no version (changed: false). Pass p_expected_version to refuse a lost update (PT409).';
revoke all on function public.rollback_app_config(bigint, text, bigint) from public, anon;
grant execute on function public.rollback_app_config(bigint, text, bigint) to authenticated, service_role;
