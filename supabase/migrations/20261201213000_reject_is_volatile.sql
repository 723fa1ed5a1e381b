-- marketplace_private.reject() and reject_usage() were declared `immutable` but exist to raise.
-- The planner may evaluate an immutable function early when its arguments are constants (it
-- folds them at plan time), so `case when <bad> then reject('…') end` could fail while planning,
-- whatever <bad> turns out to be; `supabase db lint` reports both as errors. Raising is an
-- effect: volatile says what they do, and their callers are unchanged. Idempotent.
alter function marketplace_private.reject(text) volatile;
alter function marketplace_private.reject_usage(text) volatile;

comment on function marketplace_private.reject(text) is
  'Private, called by the config writers and their checks: raises 22023 "invalid marketplace_source: <message>". Volatile because it raises.';
comment on function marketplace_private.reject_usage(text) is
  'Private, called by validate_usage_rows: raises 22023 "invalid usage aggregates: <p_rows[i].field> <problem>" (the usage counterpart of reject()). Volatile because it raises.';
