import { createClient } from '@supabase/supabase-js';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FleetUsagePanel } from '../src/components/FleetUsagePanel.tsx';
import { FLEET_EMPTY_MESSAGE } from '../src/model/fleet-rows.ts';
import { resetToGit, signedInAs, stack } from './support/admin-session.ts';
import { rowTexts } from './support/dialog-rows.ts';
import { renderPanel, type Session } from './support/render-panel.tsx';
import { ingestUsage, minutesAgo, usageRow } from './support/usage-rows.ts';

let ada: Session;
beforeEach(async () => {
  ada = await signedInAs(stack().admin);
  await resetToGit(ada.service);
});
afterEach(() => {
  cleanup();
  ada.resolver.dispose();
});

const currentVersion = async (s: Session) => {
  const r = await s.service.get();
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('MarketplaceSourceControl', () => {
  it('shows the current source, then switches the fleet to the CDN after a confirmation that states the effect', async () => {
    const user = renderPanel(ada);
    expect(await screen.findByText('Git', { selector: 'dd' })).toBeTruthy();
    const before = await currentVersion(ada);
    expect(screen.getByRole('button', { name: 'Git' }).getAttribute('aria-pressed')).toBe('true');

    await user.type(screen.getByLabelText('Reason (kept in the history)'), 'GitHub rate limit');
    await user.click(screen.getByRole('button', { name: 'Cloudflare CDN' }));
    const dialog = await screen.findByRole('dialog', { name: 'Switch every app to Cloudflare CDN?' });
    expect(dialog.textContent).toContain('Every installed app follows within ~300 s');
    expect(dialog.textContent).toContain('Reason: GitHub rate limit');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));

    await user.click(within(dialog).getByRole('button', { name: 'Switch to Cloudflare CDN' }));
    expect(
      await screen.findAllByText(`Saved as version ${before.version + 1}.`, { exact: false }),
    ).not.toHaveLength(0);
    expect(await screen.findByText('Cloudflare CDN', { selector: 'dd' })).toBeTruthy();
    expect((await currentVersion(ada)).document).toMatchObject({
      type: 'cloudflare',
      priority: ['cloudflare'],
    });
  });

  it('Escape cancels a switch and nothing is saved', async () => {
    const user = renderPanel(ada);
    await screen.findByText('Git', { selector: 'dd' });
    const before = await currentVersion(ada);
    await user.click(screen.getByRole('button', { name: 'Hybrid (CDN → Git)' }));
    await screen.findByRole('dialog');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect((await currentVersion(ada)).version).toBe(before.version);
  });

  it('hybrid with a 10% canary says who tries what first', async () => {
    // A switch applies to the saved config (issue 14): the canary is saved first.
    await ada.service.update({ ...(await currentVersion(ada)).document, canaryPercent: 10 });
    const user = renderPanel(ada);
    await screen.findByText('Git', { selector: 'dd' });
    await user.click(screen.getByRole('button', { name: 'Hybrid (CDN → Git)' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('10% of installs try the CDN first, the others Git first');
    await user.click(within(dialog).getByRole('button', { name: /^Switch to/ }));
    await screen.findAllByText(/^Saved as version/);
    expect((await currentVersion(ada)).document).toMatchObject({ type: 'hybrid', canaryPercent: 10 });
  });

  it('invalid input shows field errors and saves nothing', async () => {
    const user = renderPanel(ada);
    await screen.findByText('Git', { selector: 'dd' });
    const before = await currentVersion(ada);
    const cdn = screen.getByLabelText('Cloudflare CDN URL');
    await user.clear(cdn);
    await user.type(cdn, 'javascript:alert(1)');
    const canary = screen.getByLabelText('Canary percentage (hybrid)');
    await user.clear(canary);
    await user.type(canary, '101');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(cdn.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('cloudflareUrl-error')?.textContent).toMatch(/https/);
    expect(canary.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('canaryPercent-error')?.textContent).toMatch(/100/);
    expect((await currentVersion(ada)).version).toBe(before.version);
  });

  it('a change saved meanwhile by another admin is shown, and the admin can retry over it', async () => {
    const user = renderPanel(ada);
    await screen.findByText('Git', { selector: 'dd' });
    const grace = await signedInAs(stack().secondAdmin);
    const theirs = await grace.service.update(
      { ...(await currentVersion(grace)).document, cacheTtlSeconds: 120 },
      { reason: 'shorter TTL' },
    );
    grace.resolver.dispose();
    expect(theirs.ok).toBe(true);
    const theirVersion = theirs.ok ? theirs.value.version : 0;

    await user.click(screen.getByRole('button', { name: 'Cloudflare CDN' }));
    await user.click(await screen.findByRole('button', { name: 'Switch to Cloudflare CDN' }));
    expect(await screen.findAllByText(/was saved by someone else meanwhile/)).not.toHaveLength(0);
    const conflict = screen.getByRole('region', { name: 'Conflicting change' });
    expect(conflict.textContent).toContain(`Version ${theirVersion} was saved while you were editing`);
    expect(conflict.textContent).toContain('Cache TTL: theirs 120 s, yours 300 s');

    await user.click(
      within(conflict).getByRole('button', { name: `Save mine over version ${theirVersion}` }),
    );
    await user.click(await screen.findByRole('button', { name: 'Save my change' }));
    expect(
      await screen.findAllByText(`Saved as version ${theirVersion + 1}.`, { exact: false }),
    ).not.toHaveLength(0);
    expect((await currentVersion(ada)).document).toMatchObject({ type: 'cloudflare' });
  });

  it('"Test" fetches a source from the browser: ✅ with figures for a good one, ❌ for an HTML page', async () => {
    const user = renderPanel(ada);
    await screen.findByText('Git', { selector: 'dd' });
    await user.click(screen.getByRole('button', { name: 'Test Cloudflare CDN URL' }));
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'Cloudflare CDN URL test result' }).textContent).toMatch(
        /✅ OK · \d+ ms · registry version 42 · 12 plugins/,
      ),
    );
    const cdn = screen.getByLabelText('Cloudflare CDN URL');
    await user.clear(cdn);
    await user.type(cdn, stack().htmlSourceUrl);
    await user.click(screen.getByRole('button', { name: 'Test Cloudflare CDN URL' }));
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'Cloudflare CDN URL test result' }).textContent).toMatch(
        /❌ cloudflare: registry is not valid JSON \(it looks like an HTML page\)/,
      ),
    );
  });
});

describe('AdminPanel', () => {
  it('refuses a signed-in non-admin with a clear message and no controls', async () => {
    const member = await signedInAs(stack().member);
    renderPanel(member);
    expect((await screen.findByRole('alert')).textContent).toMatch(/you are not a marketplace admin/);
    expect(screen.queryByRole('tab')).toBeNull();
    member.resolver.dispose();
  });

  it('tabs follow the keyboard: arrows, Home and End', async () => {
    const user = renderPanel(ada);
    const marketplace = await screen.findByRole('tab', { name: 'Marketplace' });
    marketplace.focus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Automation' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Automation' }));
    await user.keyboard('{End}');
    expect(screen.getByRole('tab', { name: 'Admins' }).getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Marketplace' }).getAttribute('aria-selected')).toBe('true');
  });
});

describe('ConfigHistoryPanel', () => {
  it('lists who changed what and why, with a diff, and rolls back after a confirmation', async () => {
    await ada.service.update(
      { ...(await currentVersion(ada)).document, type: 'cloudflare', priority: ['cloudflare'] },
      { reason: 'to the CDN' },
    );
    const user = renderPanel(ada, 'history');
    const list = await screen.findByRole('list', { name: 'Configuration changes, newest first' });
    const [latest, previous] = within(list).getAllByRole('listitem', { name: /^Version \d+/ });
    expect(latest?.textContent).toContain('admin change by Ada Lovelace (ada@cartae.test) · “to the CDN”');
    expect(
      within(latest as HTMLElement).getByRole('list', { name: /^Changes in version/ }).textContent,
    ).toContain('Source: Git → Cloudflare CDN');

    const target = within(previous as HTMLElement).getByRole('heading').textContent ?? '';
    const targetVersion = Number(/Version (\d+)/.exec(target)?.[1]);
    await user.click(
      within(previous as HTMLElement).getByRole('button', { name: `Roll back to version ${targetVersion}` }),
    );
    const dialog = await screen.findByRole('dialog', { name: `Roll back to version ${targetVersion}?` });
    await user.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    // Beside the history (the panel's live region also says it, and may still hold an earlier message).
    expect(
      await screen.findByText(new RegExp(`configuration of version ${targetVersion} is now`), {
        selector: 'p',
      }),
    ).toBeTruthy();
    expect((await currentVersion(ada)).document).toMatchObject({ type: 'git' });
    await waitFor(() =>
      expect(within(list).getAllByRole('listitem')[0]?.textContent).toContain('rollback by Ada'),
    );
  });
});

describe('SourceHealthMonitor and UsageStatsPanel', () => {
  it('checks each source and raises an alert when one turns unhealthy', async () => {
    const user = renderPanel(ada, 'monitoring');
    await ada.resolver.reloadConfig();
    await user.click(await screen.findByRole('button', { name: 'Check now' }));
    await waitFor(() => expect(screen.getByRole('row', { name: /^Git/ }).textContent).toContain(' healthy'));
    expect(screen.queryByRole('alert')).toBeNull();

    await ada.service.update(
      { ...(await currentVersion(ada)).document, gitUrl: `${stack().failingSourceUrl}/registry.json` },
      { reason: 'point Git at a failing host' },
    );
    await ada.resolver.reloadConfig();
    await user.click(screen.getByRole('button', { name: 'Check now' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Git is unhealthy since/);
    expect(screen.getByRole('row', { name: /^Git/ }).textContent).toContain(' unhealthy');
  });

  it("shows this app's resolver figures and a chart", async () => {
    await ada.resolver.reloadConfig();
    const registry = await ada.resolver.getRegistry();
    expect(registry.ok).toBe(true);
    renderPanel(ada, 'statistics');
    // The Statistics tab loads its chart library lazily: the first load may take a few seconds on a busy machine.
    const total = await screen.findByText('Requests', { selector: 'dt' }, { timeout: 10_000 });
    expect(total.nextElementSibling?.textContent).toBe('1');
    expect(screen.getByText('Git attempts').nextElementSibling?.textContent).toBe('1');
    expect(screen.getByRole('figure', { name: /^Requests by outcome and attempts per source/ })).toBeTruthy();
  });
});

/** The text of a figure in a table with one column per source: row `figure`, column `source`. */
function figure(table: HTMLElement, name: string, source: string): string {
  const columns = within(table)
    .getAllByRole('columnheader')
    .map((h) => h.textContent);
  const row = within(table).getByRole('rowheader', { name }).closest('tr') as HTMLElement;
  return within(row).getAllByRole('cell')[columns.indexOf(source) - 1]?.textContent ?? '';
}

/** Headings of the open tab, in the order a person reads them. */
const headings = () => screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);

// The fleet's usage lives in the one stand-in every test shares, and nothing deletes it: the
// empty state is checked first, and only then are rows written. (This file is also the only one
// that changes the config version, so "the current version" holds still within a test.)
describe('FleetUsagePanel', () => {
  it('before any report: the empty state above the browser checks, in Monitoring and Statistics', async () => {
    const user = renderPanel(ada, 'monitoring');
    expect(await screen.findByText(FLEET_EMPTY_MESSAGE)).toBeTruthy();
    expect(screen.queryByRole('table', { name: /^Per source/ })).toBeNull();
    expect(headings()).toEqual(['Fleet — last hour', 'Alerts', 'CDN Worker', 'From this browser']);

    await user.click(screen.getByRole('tab', { name: 'Statistics' }));
    await screen.findByRole('heading', { name: "This browser's resolver" }, { timeout: 10_000 });
    expect(await screen.findByText(FLEET_EMPTY_MESSAGE)).toBeTruthy();
    expect(headings()).toEqual(['Fleet — last hour', "This browser's resolver"]);
  });

  it('shows per source requests, error and 429 shares, fallbacks, latency and quota; installs and convergence', async () => {
    const current = (await currentVersion(ada)).version;
    const previous = current - 1;
    await ingestUsage([
      usageRow(minutesAgo(3), {
        configVersion: previous,
        installs: 2,
        requests: 40,
        errors: 4,
        rateLimited: 2,
        latency: [10, 20, 5, 3, 2, 0, 0, 0],
        quotaRemaining: 30,
        quotaLimit: 60,
      }),
      // The latest complete minute: 8 installs on the current version by Git, 3 by the CDN, 2 on the previous.
      usageRow(minutesAgo(2), {
        configVersion: current,
        installs: 8,
        requests: 100,
        errors: 5,
        rateLimited: 3,
        fallbacks: 2,
        latency: [60, 20, 10, 4, 2, 0, 0, 4],
        quotaRemaining: 12,
        quotaLimit: 60,
      }),
      usageRow(minutesAgo(2), {
        shard: 1,
        configVersion: previous,
        installs: 2,
        requests: 20,
        latency: [20, 0, 0, 0, 0, 0, 0, 0],
      }),
      usageRow(minutesAgo(2), {
        source: 'cloudflare',
        configVersion: current,
        installs: 3,
        requests: 50,
        fallbacks: 5,
        staleServes: 1,
        latency: [40, 5, 0, 0, 0, 0, 0, 5],
      }),
    ]);

    const user = renderPanel(ada, 'monitoring');
    const table = await screen.findByRole('table', { name: 'Per source, last hour' });
    expect(figure(table, 'Requests', 'Git')).toBe('160');
    expect(figure(table, 'Errors', 'Git')).toBe('5.6 % (9)');
    expect(figure(table, 'Rate-limited (429)', 'Git')).toBe('3.1 % (5)');
    expect(figure(table, 'Fallbacks to it', 'Git')).toBe('2');
    expect(figure(table, 'Latency p50', 'Git')).toBe('≤ 50 ms');
    expect(figure(table, 'Latency p95', 'Git')).toBe('≤ 500 ms');
    expect(figure(table, 'Quota left (lowest)', 'Git')).toBe('12 / 60 left');
    expect(figure(table, 'Requests', 'CDN')).toBe('50');
    expect(figure(table, 'Errors', 'CDN')).toBe('0 %');
    expect(figure(table, 'Fallbacks to it', 'CDN')).toBe('5');
    expect(figure(table, 'Latency p95', 'CDN')).toBe('> 5 s');
    expect(figure(table, 'Quota left (lowest)', 'CDN')).toBe('—');

    expect(screen.getByText('Active installs').nextElementSibling?.textContent).toBe('10');
    expect(screen.getByText(`80 % of active installs on v${current}`)).toBeTruthy();
    expect(screen.getByText(`Still on v${previous}: 2 installs`)).toBeTruthy();
    expect(
      await screen.findByRole('figure', { name: 'Fleet requests, errors and 429s per minute, by source' }),
    ).toBeTruthy();
    expect(headings()).toEqual(['Fleet — last hour', 'Alerts', 'CDN Worker', 'From this browser']);

    await user.click(screen.getByRole('button', { name: 'Last day' }));
    expect(screen.getByRole('button', { name: 'Last day' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('heading', { name: 'Fleet — last day' })).toBeTruthy();
    const day = await screen.findByRole('table', { name: 'Per source, last day' });
    expect(figure(day, 'Requests', 'Git')).toBe('160');
  });

  it("Statistics shows the fleet first, and this browser's resolver below", async () => {
    renderPanel(ada, 'statistics');
    const table = await screen.findByRole('table', { name: 'Per source, last hour' });
    expect(figure(table, 'Requests', 'CDN')).toBe('50');
    await screen.findByText('Requests', { selector: 'dt' }, { timeout: 10_000 });
    expect(headings()).toEqual(['Fleet — last hour', "This browser's resolver"]);
  });

  it('a non-admin is refused, in the panel and by the fleet view itself', async () => {
    const member = await signedInAs(stack().member);
    try {
      renderPanel(member, 'monitoring');
      expect((await screen.findByRole('alert')).textContent).toMatch(/you are not a marketplace admin/);
      expect(screen.queryByRole('heading', { name: /^Fleet/ })).toBeNull();
      cleanup();

      render(<FleetUsagePanel service={member.service} />);
      expect((await screen.findByRole('alert')).textContent).toMatch(
        /^Fleet usage could not be loaded: You are not a marketplace admin/,
      );
      expect(screen.queryByRole('table')).toBeNull();
    } finally {
      member.resolver.dispose();
    }
  });
});

describe('Automatic switch', () => {
  const AUTO = { enabled: true, rateLimitedPercent: 70, windowMinutes: 3, target: 'cloudflare' };
  const withAuto = async (autoSwitch: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const saved = await ada.service.update(
      { ...(await currentVersion(ada)).document, autoSwitch, ...extra },
      { reason: 'auto-switch settings' },
    );
    if (!saved.ok) throw new Error(saved.error.message);
    return saved.value.version;
  };
  const automation = async () =>
    (await screen.findByRole('status', { name: 'Automatic switch' })).textContent;

  it('Monitoring says off, then armed with the rule in words, above the fleet figures', async () => {
    renderPanel(ada, 'monitoring');
    expect(await automation()).toBe('Automatic switch: off');
    cleanup();
    await withAuto(AUTO);
    renderPanel(ada, 'monitoring');
    expect(await automation()).toBe(
      'Automatic switch: armed — switches to Cloudflare CDN when Git is rate-limited for ≥ 70 % of requests and of installs over 3 min',
    );
    const status = screen.getByRole('status', { name: 'Automatic switch' });
    const fleet = await screen.findByRole('heading', { name: 'Fleet — last hour' });
    expect(status.compareDocumentPosition(fleet) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('fired by evaluate_fleet_automation: History shows it with its evidence; Monitoring shows it fired and cooling down', async () => {
    await withAuto(AUTO);
    // Three complete minutes of Git answering 429 to 30 installs, as the Worker would ingest them.
    const limited = {
      installs: 30,
      rateLimitedInstalls: 30,
      reports: 30,
      requests: 5000,
      errors: 5000,
      rateLimited: 5000,
    };
    await ingestUsage([1, 2, 3].map((n) => usageRow(minutesAgo(n), limited)));
    const { supabaseUrl, serviceRoleKey } = stack();
    const cron = createClient(supabaseUrl, serviceRoleKey, { auth: { persistSession: false } });
    const { data, error } = await cron.rpc('evaluate_fleet_automation', {});
    expect(error).toBeNull();
    expect(data).toMatchObject({ action: 'switched', to: 'cloudflare' });
    const fired = (data as { version: number }).version;

    const user = renderPanel(ada, 'history');
    const list = await screen.findByRole('list', { name: 'Configuration changes, newest first' });
    const latest = within(list).getAllByRole('listitem')[0] as HTMLElement;
    expect(within(latest).getByRole('heading').textContent).toBe(`Version ${fired} · Cloudflare CDN`);
    expect(latest.textContent).toMatch(/ · Automatic switch · “auto-switch: Git rate-limited [\d.]+ % of /);
    const evidence = within(latest).getByRole('region', { name: `Evidence for version ${fired}` });
    expect(evidence.textContent).toMatch(/Window: 3 min \(/);
    expect(evidence.textContent).toMatch(/[\d,]+ of [\d,]+ Git requests were rate-limited \([\d.]+ %\)/);
    expect(evidence.textContent).toContain('Threshold: 70 % of requests and of install-minutes.');
    expect(evidence.textContent).toContain('Needs at least 20 installs and 100 requests.');

    await user.click(screen.getByRole('tab', { name: 'Monitoring' }));
    expect(await automation()).toMatch(
      new RegExp(
        `^Automatic switch: already on its target \\(Cloudflare CDN\\) — fired just now \\(v${fired}\\), cooling down until .+`,
      ),
    );
    cleanup();
    // An admin switching back does not end the cooldown.
    await withAuto(AUTO, { type: 'git', priority: ['git'] });
    renderPanel(ada, 'monitoring');
    expect(await automation()).toMatch(
      new RegExp(
        `^Automatic switch: fired just now \\(v${fired}\\), cooling down until .+ — then switches to Cloudflare CDN`,
      ),
    );
  });

  it('the Marketplace form saves an autoSwitch change after the confirmation, and refuses a threshold over 100', async () => {
    const user = renderPanel(ada);
    await screen.findByText('Git', { selector: 'dd' });
    const before = await currentVersion(ada);
    await user.click(screen.getByRole('checkbox', { name: 'Switch automatically when Git is rate-limited' }));
    const threshold = screen.getByRole('spinbutton', {
      name: 'Threshold (% of requests and of installs rate-limited)',
    });
    await user.clear(threshold);
    await user.type(threshold, '150');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(threshold.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(threshold.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'autoSwitch.rateLimitedPercent must be a number between 0 and 100',
    );
    expect((await currentVersion(ada)).version).toBe(before.version);

    await user.clear(threshold);
    await user.type(threshold, '80');
    const windowField = screen.getByRole('spinbutton', { name: 'Window (minutes)' });
    await user.clear(windowField);
    await user.type(windowField, '5');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Switch to' }), 'cloudflare');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save these settings for every app?' });
    expect(rowTexts(dialog, /^Automatic switch/)).toEqual(
      expect.arrayContaining([
        'Automatic switch: rate-limited thresholdnot set80 %',
        'Automatic switch: windownot set5 min',
      ]),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    expect(await screen.findAllByText(/^Saved as version/)).not.toHaveLength(0);
    expect((await currentVersion(ada)).document.autoSwitch).toEqual({
      enabled: true,
      rateLimitedPercent: 80,
      windowMinutes: 5,
      target: 'cloudflare',
    });
  });
});
