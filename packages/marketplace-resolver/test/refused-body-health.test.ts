import type { Behaviour } from '@cartae/local-git-host';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registryText } from '../../../tests/fixtures/registry-builder.ts';
import type { ResolverEvent } from '../src/events.ts';
import { createFakeClock } from './support/fake-clock.ts';
import { type LoopbackSources, startLoopbackSources } from './support/loopback-sources.ts';

const REG = '/registry/registry.json';

const expired = JSON.parse(registryText({ version: 2 })) as Record<string, unknown>;
expired.expires = '2020-01-01T00:00:00.000Z';

/** 200 answers whose body getRegistry() refuses, beside a plain 500 as the reference. */
const REFUSED_BODIES: [string, Behaviour][] = [
  [
    'an HTML page',
    { kind: 'body', body: '<!doctype html><title>Unicorn!</title>', contentType: 'text/html' },
  ],
  ['truncated JSON', { kind: 'truncate', bytes: 200 }],
  ['valid JSON that is not a registry', { kind: 'body', body: '{"hello":"world"}' }],
  ['an expired registry', { kind: 'body', body: JSON.stringify(expired) }],
];

describe('a source answering 200 with a body getRegistry() refuses', () => {
  let s: LoopbackSources;
  beforeEach(async () => {
    s = await startLoopbackSources();
  });
  afterEach(async () => {
    await s.close();
  });

  /**
   * An app reading the registry every 10 s for 343 s of virtual time with probes on, on sources of
   * its own: Git's requests and re-admissions, and whether checkHealth says Git is fine at the end.
   * A fake clock (and no probe jitter) makes the schedule exact, so both answers can be compared.
   */
  async function run(behaviour: Behaviour) {
    const own = await startLoopbackSources();
    try {
      own.git.setBehaviour(REG, behaviour);
      const clock = createFakeClock(Date.now());
      const r = own.resolver({ platform: { clock, random: () => 0 } });
      const events: ResolverEvent[] = [];
      r.subscribe((e) => events.push(e));
      const answers = [];
      for (let t = 0; t < 343; t += 10) {
        answers.push(await r.getRegistry());
        clock.advance(10_000);
        // Let a probe that fell due finish its loopback request (and its judgement) before time
        // moves on: wait until neither Git's requests nor the resolver's events change any more.
        let seen = '';
        for (let quiet = 0; quiet < 3; ) {
          await new Promise((resolve) => setTimeout(resolve, 15));
          const now = `${own.gitRequests(REG)}:${events.length}:${JSON.stringify(r.getHealth().sources)}`;
          quiet = now === seen ? quiet + 1 : 0;
          seen = now;
        }
      }
      const checks = await r.checkHealth();
      return {
        gitRequests: own.gitRequests(REG),
        readmitted: events.filter((e) => e.type === 'source-readmitted' && e.source === 'git').length,
        failedAnswers: answers.filter((a) => !a.ok).length,
        gitCheckOk: checks.find((c) => c.source === 'git')?.ok,
      };
    } finally {
      await own.close();
    }
  }

  it.each(REFUSED_BODIES)(
    '%s: no more requests than a source answering 500, never re-admitted, checkHealth not ok',
    async (_name, behaviour) => {
      const reference = await run({ kind: 'status', status: 500 });
      const refused = await run(behaviour);
      expect(reference).toMatchObject({ readmitted: 0, failedAnswers: 0, gitCheckOk: false });
      expect(refused).toEqual({ ...reference, gitRequests: refused.gitRequests });
      expect(refused.gitRequests).toBeLessThanOrEqual(reference.gitRequests);
    },
    30_000,
  );

  it('checkHealth judges the body as getRegistry() does: an HTML 200 is not healthy', async () => {
    s.git.setBehaviour(REG, REFUSED_BODIES[0]?.[1] as Behaviour);
    const r = s.resolver();
    const checks = await r.checkHealth();
    const git = checks.find((c) => c.source === 'git');
    expect(git).toMatchObject({ ok: false, status: 200, skipped: false, code: 'registry_invalid_json' });
    expect(git?.error).toMatch(/^git: /);
    expect(checks.find((c) => c.source === 'cloudflare')).toMatchObject({ ok: true, status: 200 });
  });

  it('a missing registry (404) is a fault of the source on every path, not an answer', async () => {
    s.git.setBehaviour(REG, { kind: 'status', status: 404 });
    const r = s.resolver();
    const answer = await r.getRegistry();
    expect(answer).toMatchObject({ ok: true, source: 'cloudflare', fallback: true });
    const git = r.getStats().perSource.git;
    expect(git).toMatchObject({ errors: 1, successes: 0 });
    const checks = await r.checkHealth();
    expect(checks.find((c) => c.source === 'git')).toMatchObject({ ok: false, status: 404 });
  });
});
