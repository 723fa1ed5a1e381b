import { validateMarketplaceConfig } from '@cartae/marketplace-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, SqlSession } from '../../packages/local-supabase/src/index.ts';
import { asRole, BACKENDS, createUser, openBackend } from './support/backends.ts';

const GIT = 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json';
const CDN = 'https://marketplace.cartae.com';
const gitDoc = { type: 'git', priority: ['git'], gitUrl: GIT, cloudflareUrl: CDN, cacheTtlSeconds: 60 };
const cdnDoc = { ...gitDoc, type: 'cloudflare', priority: ['cloudflare'] };

interface Answer {
  config_value: Record<string, unknown>;
  version: number;
  changed: boolean;
}

const failure = (e: { code?: string; message?: string }) => ({ code: e.code, message: e.message });

describe.each(BACKENDS)(
  'no empty versions, rollback with an expected version (issue 14) on %s',
  (backend) => {
    let db: Database;
    let close: () => Promise<void>;
    let ada: string;

    beforeAll(async () => {
      ({ db, close } = await openBackend(backend));
      ada = await createUser(db, 'ada@cartae.dev', 'Ada');
      await asRole(db, 'service_role', undefined, (tx) =>
        tx.query('select public.add_marketplace_admin($1)', [ada]),
      );
    });
    afterAll(async () => {
      await close();
    });

    const asAda = <T>(fn: (tx: SqlSession) => Promise<T>) => asRole(db, 'authenticated', ada, fn);
    const update = async (doc: unknown, expected: number | null = null, role: 'ada' | 'service' = 'ada') => {
      const run = (tx: SqlSession) =>
        tx.query<{ r: Answer }>('select public.update_app_config($1, $2, null, $3) as r', [
          'marketplace_source',
          JSON.stringify(doc),
          expected,
        ]);
      const { rows } = await (role === 'ada' ? asAda(run) : asRole(db, 'service_role', undefined, run));
      return rows[0]?.r as Answer;
    };
    const rollback = async (historyId: number, expected: number | null = null) => {
      const { rows } = await asAda((tx) =>
        tx.query<{ r: Answer }>('select public.rollback_app_config($1, null, $2) as r', [
          historyId,
          expected,
        ]),
      );
      return rows[0]?.r as Answer;
    };
    const state = async () =>
      (
        await db.query<{ config_value: Record<string, unknown>; version: string }>(
          `select config_value, version from app_config where config_key = 'marketplace_source'`,
        )
      ).rows[0];
    const historyCount = async () =>
      Number((await db.query<{ n: string }>('select count(*) as n from app_config_history')).rows[0]?.n);
    const entryOf = async (version: number) =>
      Number(
        (await db.query<{ id: string }>('select id from app_config_history where version = $1', [version]))
          .rows[0]?.id,
      );

    it('saving the current document again makes no version, for an admin and for the service role', async () => {
      const saved = await update(gitDoc);
      expect(saved.changed).toBe(true);
      const history = await historyCount();
      for (const role of ['ada', 'service'] as const) {
        const again = await update(gitDoc, saved.version, role);
        expect(again).toMatchObject({ changed: false, version: saved.version, config_value: gitDoc });
      }
      expect(Number((await state())?.version)).toBe(saved.version);
      expect(await historyCount()).toBe(history);
    });

    it('compares documents as JSON values: key order and number spelling do not make a change', async () => {
      const saved = await update(gitDoc);
      const history = await historyCount();
      const reordered = `{"cacheTtlSeconds": 60.0, "cloudflareUrl": "${CDN}", "gitUrl": "${GIT}", "priority": ["git"], "type": "git"}`;
      const { rows } = await asAda((tx) =>
        tx.query<{ r: Answer }>(
          `select public.update_app_config('marketplace_source', $1::jsonb, null, null) as r`,
          [reordered],
        ),
      );
      expect(rows[0]?.r).toMatchObject({ changed: false, version: saved.version });
      expect(await historyCount()).toBe(history);
    });

    it('an equal document with a stale expected version is still "nothing changed"; a different one is PT409', async () => {
      const first = await update(gitDoc);
      const second = await update(cdnDoc, first.version);
      expect(second).toMatchObject({ changed: true, version: first.version + 1 });
      // What the caller asked for already holds: nothing can be lost.
      expect(await update(cdnDoc, first.version)).toMatchObject({ changed: false, version: second.version });
      const stale = await update({ ...cdnDoc, cacheTtlSeconds: 30 }, first.version).then(
        () => undefined,
        failure,
      );
      expect(stale).toEqual({
        code: 'PT409',
        message: `the config changed meanwhile: you edited version ${first.version}, it is now version ${second.version}`,
      });
    });

    it('an equal document that no longer passes validation is refused like any other', async () => {
      // Stored by the owner, as a write from before a rule was added could have been.
      const legacy = { ...gitDoc, canaryPercent: 12.5 };
      await db.query(`update app_config set config_value = $1 where config_key = 'marketplace_source'`, [
        JSON.stringify(legacy),
      ]);
      const error = await update(legacy).then(() => undefined, failure);
      expect(error).toEqual({
        code: '22023',
        message: 'invalid marketplace_source: canaryPercent must be a whole number between 0 and 100',
      });
      await update(gitDoc);
    });

    it('rolling back to the current content makes no version', async () => {
      const saved = await update({ ...gitDoc, cacheTtlSeconds: 45 });
      const history = await historyCount();
      const answer = await rollback(await entryOf(saved.version), saved.version);
      expect(answer).toMatchObject({ changed: false, version: saved.version });
      expect(await historyCount()).toBe(history);
    });

    it('rollback takes an expected version: a stale one is PT409 and changes nothing', async () => {
      const target = await update({ ...gitDoc, cacheTtlSeconds: 30 });
      const mine = await update({ ...gitDoc, cacheTtlSeconds: 90 });
      const theirs = await update({ ...gitDoc, cacheTtlSeconds: 120 });
      const history = await historyCount();
      const error = await rollback(await entryOf(target.version), mine.version).then(
        () => undefined,
        failure,
      );
      expect(error).toEqual({
        code: 'PT409',
        message: `the config changed meanwhile: you edited version ${mine.version}, it is now version ${theirs.version}`,
      });
      expect(Number((await state())?.version)).toBe(theirs.version);
      expect(await historyCount()).toBe(history);

      const done = await rollback(await entryOf(target.version), theirs.version);
      expect(done).toMatchObject({ changed: true, version: theirs.version + 1 });
      expect((await state())?.config_value).toMatchObject({ cacheTtlSeconds: 30 });
      const last = await db.query<{ origin: string }>(
        'select origin from app_config_history order by id desc limit 1',
      );
      expect(last.rows[0]?.origin).toBe('rollback');
    });

    it('rollback without an expected version still works, with one or two arguments', async () => {
      const target = await update({ ...gitDoc, cacheTtlSeconds: 75 });
      await update(gitDoc);
      const id = await entryOf(target.version);
      const { rows } = await asAda((tx) =>
        tx.query<{ r: Answer }>('select public.rollback_app_config($1, $2) as r', [id, 'back']),
      );
      expect(rows[0]?.r).toMatchObject({ changed: true, version: target.version + 2 });
      const once = await asAda((tx) =>
        tx.query<{ r: Answer }>('select public.rollback_app_config($1) as r', [id]),
      );
      expect(once.rows[0]?.r).toMatchObject({ changed: false, version: target.version + 2 });
    });

    it('an automatic write of the current document writes nothing either', async () => {
      const { version, config_value } = (await state()) as { version: string; config_value: unknown };
      const history = await historyCount();
      const { rows } = await db.query<{ r: Answer }>(
        `select marketplace_private.write_config('marketplace_source', $1::jsonb, 'auto-switch: test', $2, 'auto-switch', '{}'::jsonb) as r`,
        [JSON.stringify(config_value), Number(version)],
      );
      expect(rows[0]?.r).toMatchObject({ changed: false, version: Number(version) });
      expect(await historyCount()).toBe(history);
    });

    it.each([
      ['12.5', 12.5],
      ['101', 101],
      ['-1', -1],
      ['"10"', '10'],
    ])('refuses canaryPercent %s with the words marketplace-core uses', async (_name, canaryPercent) => {
      const doc = { ...gitDoc, type: 'hybrid', priority: ['cloudflare', 'git'], canaryPercent };
      const message = 'canaryPercent must be a whole number between 0 and 100';
      const error = await update(doc).then(() => undefined, failure);
      expect(error).toEqual({ code: '22023', message: `invalid marketplace_source: ${message}` });
      const ts = validateMarketplaceConfig(doc);
      expect(!ts.ok && ts.error.issues?.map((i) => i.message)).toEqual([message]);
    });

    it('accepts whole canary percentages, 0 and 100 included', async () => {
      for (const canaryPercent of [0, 13, 100]) {
        const doc = { ...gitDoc, type: 'hybrid', priority: ['cloudflare', 'git'], canaryPercent };
        expect(await update(doc)).toMatchObject({ changed: true, config_value: { canaryPercent } });
        expect(validateMarketplaceConfig(doc).ok).toBe(true);
      }
    });

    it('anon and non-admins still may not roll back', async () => {
      const grace = await createUser(db, 'grace@cartae.dev', 'Grace');
      const id = await entryOf(Number((await state())?.version));
      const asGrace = await asRole(db, 'authenticated', grace, (tx) =>
        tx.query('select public.rollback_app_config($1, null, null)', [id]),
      ).then(() => undefined, failure);
      expect(asGrace?.code).toBe('42501');
      const asAnon = await asRole(db, 'anon', undefined, (tx) =>
        tx.query('select public.rollback_app_config($1, null, null)', [id]),
      ).then(() => undefined, failure);
      expect(asAnon?.code).toBe('42501');
    });
  },
);
