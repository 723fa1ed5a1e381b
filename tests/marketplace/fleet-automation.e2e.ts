import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GitHost, startGitHost } from '@cartae/local-git-host';
import type { MarketplaceConfigService } from '@cartae/plugin-admin/service';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS } from './support/admin-stack.ts';
import { launchChromium } from './support/chromium.ts';
import {
  alertOf,
  must,
  openMonitoring,
  readFleetPanel,
  shareOf,
  signInAsDevAdmin,
  verifyAlertSignature,
} from './support/fleet-admin.ts';
import { type ResolverFleet, startResolverFleet } from './support/resolver-fleet.ts';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.ts';
import { startWholeStack } from './support/whole-stack.ts';

/**
 * Issue 13, "Done when", on the whole local stack: a few hundred real resolvers report usage
 * through the Worker each minute; the Worker's Cron Trigger asks the control plane to evaluate the
 * fleet automation, which switches the fleet off a rate-limiting Git, or rolls back a change whose
 * CDN fails, and alerts a signed webhook. Usage is counted per real minute, so each test takes
 * a few minutes of wall time.
 */

type Stack = Awaited<ReturnType<typeof startWholeStack>>;

const FLEET_SIZE = 300;
const MINUTE = 60_000;
const SECRET = `e2e-${randomBytes(12).toString('hex')}`;

let stack: Stack;
let browser: Browser;
let webhook: WebhookReceiver;
let admin: MarketplaceConfigService;
let fleet: ResolverFleet | undefined;
let newCdn: GitHost | undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const minuteOf = (at: number) => Math.floor(at / MINUTE) * MINUTE;
const iso = (at: number) => new Date(at).toISOString();

/** Usage rows the Worker has flushed into the control plane for one minute and source. */
async function flushed(minute: number, source: 'git' | 'cloudflare') {
  const { rows } = await stack.standIn.database.query<{ rows: string; requests: string }>(
    `select count(*) as rows, coalesce(sum(requests), 0) as requests
       from public.usage_minutes where minute = $1 and source = $2`,
    [iso(minute), source],
  );
  return { rows: Number(rows[0]?.rows ?? 0), requests: Number(rows[0]?.requests ?? 0) };
}

/**
 * Waits until the Worker has flushed the latest complete minute's usage of `source` (about 90 s
 * after that minute starts), then runs the Worker's Cron Trigger once, so the evaluation judges
 * that minute now instead of a minute later; repeats each minute until `done` says so or the
 * deadline passes. Returns the minutes it evaluated.
 */
async function evaluateEachFlushedMinute(
  source: 'git' | 'cloudflare',
  done: () => Promise<boolean>,
  deadline: number,
): Promise<number[]> {
  const evaluated: number[] = [];
  while (Date.now() < deadline) {
    const minute = minuteOf(Date.now()) - MINUTE;
    const now = await flushed(minute, source);
    if (now.rows > 0 && !evaluated.includes(minute)) {
      // Every aggregator shard flushes at the same close time: give the last one a moment.
      await sleep(2_000);
      if (minuteOf(Date.now()) - MINUTE === minute) {
        await stack.runScheduledMinute();
        evaluated.push(minute);
        console.log(`evaluated minute ${iso(minute)} (${now.requests} ${source} requests flushed)`);
      }
    }
    if (await done()) return evaluated;
    await sleep(1_000);
  }
  return evaluated;
}

async function poll<T>(
  read: () => Promise<T> | T,
  ok: (value: T) => boolean,
  timeoutMs: number,
  what: string,
) {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await sleep(1_000);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

/** The config version the Worker's `/api/config` answers now. */
async function workerConfigVersion(): Promise<number | undefined> {
  const response = await fetch(`${stack.info.workerUrl}/api/config`);
  await response.body?.cancel();
  const version = response.headers.get('x-config-version');
  return version === null ? undefined : Number(version);
}

const latestHistory = async () => must(await admin.history({ limit: 5 }));

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  webhook = await startWebhookReceiver();
  [stack, browser] = await Promise.all([
    startWholeStack({ alertWebhook: { url: webhook.url, secret: SECRET } }),
    launchChromium(),
  ]);
  admin = await signInAsDevAdmin(stack);
}, 180_000);

afterAll(async () => {
  await fleet?.stop();
  await browser?.close();
  // The Worker's log (fleet_automation lines: each evaluation's answer) is kept as an artifact.
  mkdirSync(ARTIFACTS, { recursive: true });
  const log = stack ? join(stack.dataDir, 'wrangler.log') : '';
  if (log && existsSync(log)) copyFileSync(log, join(ARTIFACTS, 'fleet-automation-wrangler.log'));
  if (webhook) {
    writeFileSync(
      join(ARTIFACTS, 'fleet-automation-webhooks.json'),
      JSON.stringify(webhook.received, null, 2),
    );
  }
  await stack?.dispose();
  await newCdn?.close();
  await webhook?.close();
}, 60_000);

describe('fleet telemetry and automation on the whole local stack', () => {
  it(
    'Git answers 429 to a fleet of 300: automation switches it to the CDN, says so in the history, alerts a signed webhook, and Monitoring shows it',
    async () => {
      // The fleet starts on Git. The rollout guard stays on its defaults: arming the switch does
      // not change where apps fetch from, so the guard leaves it alone when Git then fails.
      const start = must(await admin.get());
      expect(start.document.type).toBe('git');
      const armed = must(
        await admin.update(
          {
            ...start.document,
            autoSwitch: { enabled: true, rateLimitedPercent: 50, windowMinutes: 1, target: 'cloudflare' },
          },
          { reason: 'e2e: arm the automatic switch', expectedVersion: start.version },
        ),
      );
      // Installs start on the armed version (the Worker's edge copy of the config lives 5 s).
      await poll(
        workerConfigVersion,
        (v) => v === armed.version,
        30_000,
        'the Worker serves the armed config',
      );
      // The CDN holds a copy of the registry before Git starts refusing.
      const warm = await fetch(`${stack.info.workerUrl}/api/plugins`);
      expect(warm.status).toBe(200);
      await warm.body?.cancel();

      fleet = await startResolverFleet({
        size: FLEET_SIZE,
        configUrl: `${stack.info.workerUrl}/api/config`,
        readEveryMs: 15_000,
      });
      const running = fleet;
      await poll(
        () => running.servedBy(),
        (s) => s.git === FLEET_SIZE,
        60_000,
        'every install read the registry from Git',
      );
      expect((await running.configVersions()).get(armed.version)).toBe(FLEET_SIZE);

      const page: Page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      await openMonitoring(page, stack);
      const before = await readFleetPanel(page);
      expect(shareOf(before.gitRateLimited)).toBe(0); // no reports yet, or Git with no 429

      stack.git.setBehaviour('*', { kind: 'rate-limited', retryAfterSeconds: 30 });
      const limitedAt = Date.now();
      console.log(`Git rate-limited from ${iso(limitedAt)}`);

      // Each flushed minute is evaluated at once; the Cron Trigger would judge it a minute later.
      const switchedBy = minuteOf(limitedAt) + 3 * MINUTE + 30_000; // partial minute + window + one evaluation + settle
      const evaluated = await evaluateEachFlushedMinute(
        'git',
        async () => must(await admin.get()).document.type === 'cloudflare',
        switchedBy,
      );
      const switched = must(await admin.get());
      expect(switched.document.type, `evaluated: ${evaluated.map(iso).join(', ')}`).toBe('cloudflare');
      const switchedAt = Date.now();
      console.log(
        `switched ${Math.round((switchedAt - limitedAt) / 1000)} s after Git started answering 429`,
      );

      // The history, read as the admin panel reads it: origin auto-switch, with its evidence.
      const [entry] = await latestHistory();
      expect(entry).toMatchObject({ origin: 'auto-switch', version: switched.version });
      expect(entry?.reason).toMatch(
        /^auto-switch: Git rate-limited [\d.]+ % of [\d,]+ requests from [\d,]+ installs and [\d.]+ % of [\d,]+ install-minutes over 1 min ≥ 50 %$/,
      );
      const evidence = entry?.evidence as Record<string, number | string>;
      expect(evidence).toMatchObject({ source: 'git', windowMinutes: 1, thresholdPercent: 50 });
      expect(evidence.installs).toBeGreaterThanOrEqual(20);
      expect(evidence.requests).toBeGreaterThanOrEqual(100);
      expect(evidence.rateLimitedPercent).toBeGreaterThanOrEqual(50);
      expect(evidence.rateLimitedInstallsPercent).toBeGreaterThanOrEqual(50);
      expect(entry?.newValue).toMatchObject({ type: 'cloudflare', autoSwitch: { enabled: true } });

      // The alert: signed with the secret, saying what happened and why.
      const hook = await webhook.waitFor((h) => alertOf(h).event === 'auto-switch', 30_000);
      expect(hook.headers['x-cartae-timestamp'], 'x-cartae-timestamp').toMatch(/^\d+$/);
      expect(hook.headers['x-cartae-signature'], 'x-cartae-signature').toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(verifyAlertSignature(hook, SECRET), 'signature verifies with the secret').toBe(true);
      expect(verifyAlertSignature(hook, `${SECRET}x`)).toBe(false);
      expect(alertOf(hook).text).toMatch(
        new RegExp(
          `^Cartae fleet switched automatically from git to cloudflare \\(config version ${switched.version}\\): Git rate-limited [\\d.]+ % of [\\d,]+ requests from [\\d,]+ installs over 1 min \\(threshold 50 %\\)$`,
        ),
      );

      // The installs follow: every one reads the registry from the CDN, on the new version.
      await poll(
        () => running.servedBy(),
        (s) => s.cloudflare === FLEET_SIZE,
        60_000,
        'every install read the registry from the CDN',
      );
      await poll(
        async () => [...(await running.configVersions())],
        (versions) => versions.some(([v, n]) => v === switched.version && n === FLEET_SIZE),
        30_000,
        `every install on config version ${switched.version}`,
      );
      for (const { last } of running.installs) {
        expect(last?.ok && last.url.startsWith(stack.info.workerUrl)).toBe(true);
      }

      // Monitoring: Git's 429 share has risen, then installs converge on the new version, as soon as
      // the minute of the switch is reported (the panel reads the latest complete minute).
      const after = await poll(
        () => readFleetPanel(page),
        // The minute of the switch may show 0 %: the installs' last read that minute was before it.
        (r) =>
          new RegExp(`^(?:[1-9]\\d*|< 1) % of active installs on v${switched.version}$`).test(
            r.convergence ?? '',
          ),
        2 * MINUTE,
        'Monitoring shows installs on the new version',
      );
      expect(shareOf(after.gitRateLimited)).toBeGreaterThanOrEqual(50);
      expect(shareOf(after.gitRateLimited)).toBeGreaterThan(shareOf(before.gitRateLimited));
      console.log(`Monitoring: Git 429 ${after.gitRateLimited}; ${after.convergence}`);
      expect(await page.getByRole('status', { name: 'Automatic switch' }).textContent()).toMatch(
        /fired|on its target/,
      );
      // The CDN Worker as it reports itself: the registry version it serves and its last mirror.
      const edge = page.getByLabel('CDN Worker status');
      await expect
        .poll(async () => (await edge.textContent()) ?? '', { timeout: 30_000 })
        .toMatch(/Registry served\s*v\d+/);
      // The alert feed has the same alert the webhook got (the feed refreshes each minute; a
      // person reopening Monitoring sees it at once).
      await page.reload();
      await page.getByRole('tab', { name: 'Monitoring' }).click();
      const feed = page.getByRole('list', { name: 'Alerts, newest first' });
      await expect
        .poll(async () => (await feed.locator(':scope > li').allTextContents()).join('\n'), {
          timeout: 30_000,
        })
        .toContain(alertOf(hook).text);
      await page.screenshot({ path: join(ARTIFACTS, 'fleet-monitoring-auto-switch.png'), fullPage: true });
      await page.close();
      stack.git.setBehaviour('*', { kind: 'serve' });
    },
    6 * MINUTE,
  );

  it(
    'an admin sends the fleet to a CDN that answers 500: the rollout guard rolls it back, alerts a signed webhook, and the installs return',
    async () => {
      if (!fleet) throw new Error('the fleet of the first test is not running');
      const running = fleet;
      // A second CDN serving the same registry, which the admin moves the fleet to.
      const registry = await (await fetch(`${stack.info.workerUrl}/api/plugins`)).text();
      const cdn = await startGitHost({ host: '127.0.0.1', files: { '/api/plugins': registry } });
      newCdn = cdn;

      const previous = must(await admin.get());
      expect(previous.document).toMatchObject({ type: 'cloudflare', cloudflareUrl: stack.info.workerUrl });
      const changed = must(
        await admin.update(
          {
            ...previous.document,
            type: 'cloudflare',
            priority: ['cloudflare'],
            cloudflareUrl: cdn.url,
            rolloutGuard: { enabled: true, errorPercent: 5, windowMinutes: 5 },
          },
          { reason: 'e2e: move to the new CDN', expectedVersion: previous.version },
        ),
      );
      const changedAt = Date.now();
      await poll(
        () =>
          running.installs.filter(({ last }) => last?.ok && !last.stale && last.url.startsWith(cdn.url))
            .length,
        (n) => n === FLEET_SIZE,
        60_000,
        'every install read the registry from the new CDN',
      );
      expect((await running.configVersions()).get(changed.version)).toBe(FLEET_SIZE);

      // From the next minute on, the new CDN fails every request, as a CDN failing under the
      // fleet's load would. (The installs eject a failing source within a few requests, so the
      // errors must fall in a complete minute after the change, which is what the guard judges.)
      await sleep(Math.max(0, minuteOf(Date.now()) + MINUTE + 500 - Date.now()));
      cdn.setBehaviour('*', { kind: 'status', status: 500, body: 'upstream failure' });
      const failingFrom = Date.now();
      console.log(`the new CDN answers 500 from ${iso(failingFrom)} (changed at ${iso(changedAt)})`);

      // The guard judges complete minutes wholly after the change, once flushed.
      const rolledBackBy = minuteOf(failingFrom) + 2 * MINUTE + 30_000; // failing minute + flush + one evaluation
      const evaluated = await evaluateEachFlushedMinute(
        'cloudflare',
        async () => must(await admin.get()).version > changed.version,
        rolledBackBy,
      );
      const restored = must(await admin.get());
      expect(restored.version, `evaluated: ${evaluated.map(iso).join(', ')}`).toBe(changed.version + 1);
      console.log(
        `rolled back ${Math.round((Date.now() - changedAt) / 1000)} s after the change, ${Math.round((Date.now() - failingFrom) / 1000)} s after the CDN started failing`,
      );
      expect(restored.document).toEqual(previous.document);

      const [entry] = await latestHistory();
      expect(entry).toMatchObject({ origin: 'auto-rollback', version: restored.version });
      expect(entry?.reason).toMatch(
        new RegExp(
          `^auto-rollback: Cartae rolled back config v${changed.version} to v${previous.version}'s content as v${restored.version}: CDN errors [\\d.]+ % of [\\d,]+ requests over 5 min > 5 %$`,
        ),
      );
      const evidence = entry?.evidence as Record<string, unknown>;
      expect(evidence).toMatchObject({
        sources: ['cloudflare'],
        changedVersion: changed.version,
        restoredVersion: previous.version,
        guardPercent: 5,
      });
      expect(evidence.errorPercent as number).toBeGreaterThan(5);
      expect(evidence.installs as number).toBeGreaterThanOrEqual(20);

      const hook = await webhook.waitFor((h) => alertOf(h).event === 'auto-rollback', 30_000);
      expect(hook.headers['x-cartae-signature'], 'x-cartae-signature').toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(verifyAlertSignature(hook, SECRET), 'signature verifies with the secret').toBe(true);
      // The same alert is in the admin's feed.
      const feed = await admin.getFleetAlerts({ limit: 20 });
      expect(must(feed).map((alert) => alert.text)).toContain(alertOf(hook).text);
      expect(alertOf(hook).text).toMatch(
        new RegExp(
          `^Cartae rolled back config v${changed.version} to v${previous.version}'s content as v${restored.version}: CDN errors [\\d.]+ % of [\\d,]+ requests over 5 min > 5 %$`,
        ),
      );

      // The installs are back on the previous content, served by the working CDN again.
      await poll(
        () => running.servedBy(),
        (s) => s.cloudflare === FLEET_SIZE,
        60_000,
        'every install read the registry from the working CDN again',
      );
      expect((await running.configVersions()).get(restored.version)).toBe(FLEET_SIZE);
      for (const { last, resolver } of running.installs) {
        expect(last?.ok && !last.stale && last.url.startsWith(stack.info.workerUrl)).toBe(true);
        expect((await resolver.getConfig()).origin).toBe('provider');
      }
    },
    5 * MINUTE,
  );
});
