import type { Behaviour } from '@cartae/local-git-host';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registryText } from '../../../tests/fixtures/registry-builder.ts';
import type { ResolverEvent } from '../src/events.ts';
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
   * An app reading the registry every 50 ms for 2.5 s, probes on, under the default policy scaled
   * down 300× (first ejection 100 ms, longest 1 s): the same pattern as 343 s of a real app with
   * 30 s and 5 min, in real time, so probes run on real timers. Git's requests and events.
   */
  async function run(behaviour: Behaviour) {
    s.git.setBehaviour(REG, behaviour);
    // No probe jitter: both runs follow the same schedule.
    const r = s.resolver({
      ejection: { baseEjectionMs: 100, maxEjectionMs: 1000 },
      platform: { random: () => 0 },
    });
    const events: ResolverEvent[] = [];
    r.subscribe((e) => events.push(e));
    const answers = [];
    const end = Date.now() + 2500;
    while (Date.now() < end) {
      answers.push(await r.getRegistry());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const checks = await r.checkHealth();
    r.dispose();
    return {
      gitRequests: s.gitRequests(REG),
      readmitted: events.filter((e) => e.type === 'source-readmitted' && e.source === 'git').length,
      failedAnswers: answers.filter((a) => !a.ok).length,
      gitCheck: checks.find((c) => c.source === 'git'),
    };
  }

  it('gets no more requests than a source answering 500, is never re-admitted, and checkHealth says not ok', async () => {
    const reference = await run({ kind: 'status', status: 500 });
    expect(reference.failedAnswers).toBe(0);
    for (const [name, behaviour] of REFUSED_BODIES) {
      s.git.requests.length = 0;
      const refused = await run(behaviour);
      expect({ name, ...refused, gitCheck: refused.gitCheck?.ok }).toEqual({
        name,
        gitRequests: refused.gitRequests,
        readmitted: 0,
        failedAnswers: 0,
        gitCheck: false,
      });
      // Same schedule as the 500 (the old judgement gave 43 requests and 9 re-admissions against 7);
      // real timers on a shared machine may shift one probe across the end of the window.
      expect(refused.gitRequests, name).toBeLessThanOrEqual(reference.gitRequests + 1);
    }
  }, 60_000);

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
