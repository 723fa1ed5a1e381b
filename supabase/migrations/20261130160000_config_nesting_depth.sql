-- Bounds how deeply the marketplace_source document may nest (issue 12, item 8): at most 32
-- levels, the top-level object being level 1 and each object or array inside adding one
-- (scalars add none). The 16 KiB size bound alone let a 4,000-level unknown key through, to be
-- served to every app near the stack limit of JSON.stringify and of any other recursive walker.
-- Same bound and same message as MAX_CONFIG_DEPTH in @cartae/marketplace-core.
--
-- Writes are refused (update_app_config, rollback_app_config: both validate in write_config).
-- get_marketplace_config is left as it is: serving a stored document is not recursive in
-- Postgres, and the TypeScript readers (readMarketplaceConfig) refuse one past the bound.
--
-- The check runs on the parsed jsonb, since the functions take jsonb: Postgres parses the
-- argument before any function body runs (and refuses deeply nested JSON itself with 54001,
-- somewhere past 10,000 levels on a default stack).

-- Whether p_doc holds an object or array more than p_max_depth levels deep (p_doc itself being
-- level 1). A jsonpath `.**{n}` walk descends at most n levels and stops at the first match, so
-- the cost is bounded by the part of the document within the limit, however deep the rest is.
create or replace function marketplace_private.nests_deeper_than(p_doc jsonb, p_max_depth integer) returns boolean
language sql immutable strict set search_path = ''
as $$
  select case
    when jsonb_typeof(p_doc) not in ('object', 'array') then false
    when p_max_depth < 1 then true
    -- Level 0 is p_doc itself, so level n holds the values at depth n + 1. strict: in lax mode
    -- the filter would unwrap an array and test its elements instead.
    else jsonb_path_exists(p_doc,
      format('strict $.**{%s} ? (@.type() == "object" || @.type() == "array")', p_max_depth)::jsonpath)
  end
$$;
comment on function marketplace_private.nests_deeper_than(jsonb, integer) is
  'Private, called by validate_marketplace_source: does the document nest objects or arrays more than p_max_depth levels (itself being level 1)?';
revoke all on function marketplace_private.nests_deeper_than(jsonb, integer) from public;

-- The field rules of 20251031000000 keep their body under a new name; validate_marketplace_source
-- becomes the depth check followed by them, so the order of checks is the one marketplace-core
-- uses: a JSON object, then depth, then size, then fields. Renamed only once, so re-running this
-- file is harmless.
do $$
begin
  if to_regprocedure('marketplace_private.validate_marketplace_fields(jsonb)') is null then
    alter function marketplace_private.validate_marketplace_source(jsonb) rename to validate_marketplace_fields;
  end if;
end
$$;
comment on function marketplace_private.validate_marketplace_fields(jsonb) is
  'Private, called by validate_marketplace_source: the object, size and field rules of marketplace_source (body in migration 20251031000000).';
revoke all on function marketplace_private.validate_marketplace_fields(jsonb) from public;

-- Raises 22023 naming the first problem; unknown keys are kept (forward compatibility).
create or replace function marketplace_private.validate_marketplace_source(p_doc jsonb) returns void
language plpgsql stable set search_path = ''
as $$
begin
  -- A non-object is refused by the field rules as "must be a JSON object", as in marketplace-core.
  if jsonb_typeof(p_doc) = 'object' and marketplace_private.nests_deeper_than(p_doc, 32) then
    perform marketplace_private.reject('must be nested at most 32 levels deep (the top-level object is level 1)');
  end if;
  perform marketplace_private.validate_marketplace_fields(p_doc);
end
$$;
comment on function marketplace_private.validate_marketplace_source(jsonb) is
  'Private, called by write_config on every update and rollback: raises 22023 unless p_doc is a valid marketplace_source (same rules as validateMarketplaceConfig).';
revoke all on function marketplace_private.validate_marketplace_source(jsonb) from public;

-- A document stored before this bound stays readable; say so to whoever applies the migration.
do $$
begin
  if exists (select 1 from public.app_config
             where config_key = 'marketplace_source' and marketplace_private.nests_deeper_than(config_value, 32)) then
    raise warning 'the stored marketplace_source is nested more than 32 levels deep: apps will keep their last good config until an admin saves a valid one';
  end if;
end
$$;
