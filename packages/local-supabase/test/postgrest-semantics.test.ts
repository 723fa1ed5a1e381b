import { describe, expect, it } from 'vitest';
import { sqlLiteral } from '../src/database/sql-literal.ts';
import { callSql } from '../src/rest/call-rpc.ts';
import { type FunctionSignature, pickOverload } from '../src/rest/function-catalog.ts';
import { statusForSqlState } from '../src/rest/postgrest-error.ts';

describe('statusForSqlState (PostgREST 12 error table)', () => {
  it.each([
    ['42501', 'anon', 401],
    ['42501', 'authenticated', 403],
    ['PT409', 'authenticated', 409],
    ['PT404', 'service_role', 404],
    ['22023', 'authenticated', 400],
    ['23505', 'authenticated', 409],
    ['25006', 'anon', 405],
    ['42883', 'anon', 404],
    ['P0001', 'anon', 400],
    ['08006', 'anon', 503],
    ['53300', 'anon', 503],
    ['54000', 'anon', 500],
    ['53400', 'anon', 500],
    ['XX000', 'anon', 500],
  ])('%s as %s → %i', (code, role, status) => {
    expect(statusForSqlState(code, role)).toBe(status);
  });
});

const history: FunctionSignature = {
  name: 'get_app_config_history',
  args: [
    { name: 'p_config_key', type: 'text' },
    { name: 'p_limit', type: 'integer' },
    { name: 'p_before_id', type: 'bigint' },
  ],
  defaults: 2,
  returnsSet: true,
  returns: 'composite',
  volatility: 's',
};

describe('pickOverload', () => {
  it('needs every argument without a default and accepts only known names', () => {
    expect(pickOverload([history], ['p_config_key'])).toBe(history);
    expect(pickOverload([history], ['p_config_key', 'p_before_id'])).toBe(history);
    expect(pickOverload([history], [])).toBeUndefined();
    expect(pickOverload([history], ['p_config_key', 'p_other'])).toBeUndefined();
  });
});

describe('callSql', () => {
  it('calls by name with only the given arguments, typed by json_to_record', () => {
    expect(callSql(history, ['p_config_key'], "E'{}'")).toBe(
      `select coalesce(json_agg(_result), '[]'::json)::text as body from json_to_record(E'{}'::json) as _args("p_config_key" text) cross join lateral public."get_app_config_history"("p_config_key" := _args."p_config_key") as _result`,
    );
  });
  it('a scalar function without arguments needs no FROM', () => {
    const scalar: FunctionSignature = {
      ...history,
      name: 'get_marketplace_config',
      args: [],
      defaults: 0,
      returnsSet: false,
      returns: 'scalar',
    };
    expect(callSql(scalar, [], "E'{}'")).toBe(
      'select to_json(public."get_marketplace_config"())::text as body',
    );
  });
});

describe('sqlLiteral', () => {
  it.each([
    ['plain', "E'plain'"],
    ["it's", "E'it''s'"],
    ['back\\slash', "E'back\\\\slash'"],
    ["\\'; drop", "E'\\\\''; drop'"],
  ])('%s → %s', (text, literal) => {
    expect(sqlLiteral(text)).toBe(literal);
  });
});
