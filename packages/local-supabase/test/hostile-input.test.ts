import { describe, expect, it } from 'vitest';
import { checkJwtClaims } from '../src/auth/jwt-claims.ts';
import { wwwAuthenticate } from '../src/auth/www-authenticate.ts';
import type { Database } from '../src/database/database.ts';
import { readJsonArguments } from '../src/rest/rpc-payload.ts';
import { createStandInApp } from '../src/server/create-stand-in-app.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../src/server/json-nesting.ts';

const NOW = 1_800_000_000;

describe('checkJwtClaims (PostgREST Auth/Jwt.hs checkForErrors, 30 s of skew)', () => {
  it.each([
    [{}, undefined],
    [{ exp: NOW - 30 }, undefined],
    [{ exp: NOW - 31 }, 'JWT expired'],
    [{ exp: 1.5 }, 'JWT expired'], // not an integer: PostgREST counts it as 0
    [{ nbf: NOW + 30 }, undefined],
    [{ nbf: NOW + 31 }, 'JWT not yet valid'],
    [{ nbf: 1e300 }, undefined], // beyond Int64: 0, as PostgREST
    [{ iat: NOW + 3600 }, 'JWT issued at future'],
    [{ exp: NOW - 60, nbf: NOW + 60 }, 'JWT expired'], // exp is checked first
    [{ exp: 'soon' }, "The JWT 'exp' claim must be a number"],
    [{ nbf: null }, undefined],
    [{ iat: '1' }, "The JWT 'iat' claim must be a number"],
    [{ aud: ['authenticated', 'x'] }, undefined],
    [{ aud: 5 }, "The JWT 'aud' claim must be a string or an array of strings"],
    [[1], 'Parsing claims failed'],
  ])('%j → %s', (claims, failure) => {
    expect(checkJwtClaims(claims, NOW)).toBe(failure);
  });
});

describe('nestsDeeperThan', () => {
  it.each([
    ['{}', 0, true],
    ['{}', 1, false],
    ['{"a":[{"b":1}]}', 2, true],
    ['{"a":[{"b":1}]}', 3, false],
    ['{"a":"[[[[{{{{"}', 1, false], // brackets in strings do not count
    ['{"a":"\\"[[[["}', 1, false], // nor after an escaped quote
    ['{"a":"\\\\","b":[[1]]}', 2, true], // an escaped backslash ends before the quote
    [`${'['.repeat(100_000)}`, MAX_JSON_DEPTH, true],
  ])('%s deeper than %i → %s', (text, depth, deeper) => {
    expect(nestsDeeperThan(text, depth)).toBe(deeper);
  });
});

describe('readJsonArguments', () => {
  it('keeps the text as sent and lists its keys', () => {
    const text = '{"p_a": 1e309, "p_b": 300.0000000000000001}';
    expect(readJsonArguments(text)).toEqual({
      ok: true,
      payload: { kind: 'json', text, keys: ['p_a', 'p_b'] },
    });
  });
  it('an empty body is {}; whitespace, arrays, scalars and deep nesting are 400 PGRST102', () => {
    expect(readJsonArguments('')).toMatchObject({ ok: true, payload: { text: '{}', keys: [] } });
    for (const text of [
      ' ',
      '[]',
      '1',
      '"x"',
      `{"a":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`,
    ]) {
      expect(readJsonArguments(text)).toMatchObject({ ok: false, body: { code: 'PGRST102' } });
    }
  });
});

describe('wwwAuthenticate', () => {
  it('writes PostgREST’s and Kong’s challenges', () => {
    expect(wwwAuthenticate({ kind: 'invalid-token', description: 'JWT expired' })).toBe(
      'Bearer error="invalid_token", error_description="JWT expired"',
    );
    expect(wwwAuthenticate({ kind: 'bearer' })).toBe('Bearer');
    expect(wwwAuthenticate({ kind: 'api-key' })).toBe('Key realm="kong"');
  });
});

/** A database whose every call fails with `error`: the stand-in's own failures, not SQL's. */
function failingDatabase(error: unknown): Database {
  const fail = async () => {
    throw error;
  };
  return { kind: 'pglite', query: fail, exec: fail, script: fail, transaction: fail, close: async () => {} };
}

describe('internal errors', () => {
  async function appOver(error: unknown) {
    return createStandInApp({ db: failingDatabase(error), jwtSecret: 'x'.repeat(40), publicUrl: () => '' });
  }

  it('REST: 500 PGRSTX00 for a failure of the stand-in, 503 PGRST000 for a lost connection', async () => {
    const silenced = console.error;
    console.error = () => {};
    try {
      const broken = await appOver(new TypeError('boom: secret detail'));
      const res = await broken.app.request('/rest/v1/rpc/f', {
        method: 'POST',
        headers: { apikey: broken.anonKey },
      });
      expect(res.status).toBe(500);
      const body = await res.json();
      expect(body).toMatchObject({ code: 'PGRSTX00' });
      expect(JSON.stringify(body)).not.toContain('secret detail');

      const gone = await appOver(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      const down = await gone.app.request('/rest/v1/rpc/f', {
        method: 'POST',
        headers: { apikey: gone.anonKey },
      });
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ code: 'PGRST000', message: 'Database connection error.' });
    } finally {
      console.error = silenced;
    }
  });

  it('Auth: 500 in GoTrue’s shape (unexpected_failure), never PostgREST’s', async () => {
    const silenced = console.error;
    console.error = () => {};
    try {
      const broken = await appOver(new TypeError('boom'));
      const res = await broken.app.request('/auth/v1/token?grant_type=password', {
        method: 'POST',
        headers: { apikey: broken.anonKey, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'a@cartae.test', password: 'password' }),
      });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({
        code: 500,
        error_code: 'unexpected_failure',
        msg: 'Unexpected failure in the local Auth stand-in',
      });
    } finally {
      console.error = silenced;
    }
  });
});
