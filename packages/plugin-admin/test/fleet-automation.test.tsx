import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { usageRow } from '../../../tests/fixtures/usage-rows.ts';
import { AlertFeed } from '../src/components/AlertFeed.tsx';
import { AutomationTab } from '../src/components/AutomationTab.tsx';
import { ALERT_FEED_EMPTY_MESSAGE } from '../src/model/fleet-alerts.ts';
import { resetToGit, signedInAs } from './support/admin-session.ts';
import { automationStandIn } from './support/automation-stand-in.ts';
import { rowTexts } from './support/dialog-rows.ts';
import { renderPanel, type Session } from './support/render-panel.tsx';

// This file has a stand-in of its own: it pauses the whole fleet's automation and writes the
// alert feed, which the shared stand-in's other tests must not see.
const own = automationStandIn();
let ada: Session;
beforeAll(async () => {
  ada = await signedInAs(own.admin, own.where);
  await resetToGit(ada.service);
});
afterEach(() => cleanup());
afterAll(() => ada.resolver.dispose());

const settings = async () => {
  const r = await ada.service.getFleetSettings();
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const feed = async () => {
  const r = await ada.service.getFleetAlerts({ limit: 500 });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const currentDocument = async () => {
  const r = await ada.service.get();
  if (!r.ok) throw new Error(r.error.message);
  return r.value.document;
};
async function recordAlert(alert: { event: string; text: string; details?: Record<string, unknown> }) {
  const { error } = await own.worker.rpc('record_fleet_alert', { p_alert: alert });
  if (error) throw new Error(error.message);
}
/** Where a control's message is: the element its aria-describedby names first. */
const describedText = (control: HTMLElement) =>
  document.getElementById((control.getAttribute('aria-describedby') ?? '').split(' ')[0] ?? '')?.textContent;

describe('AlertFeed', () => {
  it('before any alert: says what will appear there', async () => {
    render(<AlertFeed service={ada.service} />);
    expect(await screen.findByText(ALERT_FEED_EMPTY_MESSAGE)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Alerts' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load older alerts' })).toBeNull();
  });

  it('lists alerts newest first: the event in words, local and relative time, the text, details on demand; older on request', async () => {
    await recordAlert({ event: 'mirror-failing', text: 'The CDN mirror is 2 versions behind Git.' });
    await recordAlert({
      event: 'source-unhealthy',
      text: 'Git is unhealthy across the fleet: 31.2 % errors over 5 min.',
      details: { source: 'git', errorPercent: 31.2, requests: 4100, installs: 57 },
    });
    await recordAlert({ event: 'auto-switch', text: 'Cartae switched the fleet to Cloudflare CDN.' });

    const user = userEvent.setup();
    render(<AlertFeed service={ada.service} pageSize={2} />);
    const list = await screen.findByRole('list', { name: 'Alerts, newest first' });
    const items = () => within(list).getAllByRole('listitem');
    expect(items()).toHaveLength(2);
    const [newest, second] = items() as [HTMLElement, HTMLElement];
    expect(newest.textContent).toMatch(
      /^Automatic switch.+\(just now\)Cartae switched the fleet to Cloudflare CDN\.$/,
    );
    // The event is named in words; the symbol is decoration.
    expect(within(second).getByText('Source unhealthy').tagName).toBe('STRONG');
    expect(second.querySelector('svg[data-icon="error"]')?.getAttribute('aria-hidden')).toBe('true');
    expect(within(second).getByText(/\(just now\)$/).tagName).toBe('TIME');

    const disclosure = within(second).getByText('Show details');
    expect((disclosure.closest('details') as HTMLDetailsElement).open).toBe(false);
    await user.click(disclosure);
    expect((disclosure.closest('details') as HTMLDetailsElement).open).toBe(true);
    expect(within(second).getByText('errorPercent').closest('div')?.textContent).toBe('errorPercent31.2');
    expect(within(second).getByText('requests').closest('div')?.textContent).toBe('requests4,100');
    expect(within(newest).queryByText('Show details')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Load older alerts' }));
    await waitFor(() => expect(items()).toHaveLength(3));
    expect(items()[2]?.textContent).toContain('Mirror failing');
    expect(items()[2]?.textContent).toContain('The CDN mirror is 2 versions behind Git.');
    // A short last page: nothing older.
    expect(screen.queryByRole('button', { name: 'Load older alerts' })).toBeNull();
  });
});

describe('Automation tab', () => {
  it('the kill switch: pause after a confirmation that says what it does; Monitoring and the feed say who paused and since when; resume', async () => {
    const user = renderPanel(ada, 'automation');
    expect((await screen.findByRole('status', { name: 'Automation state' })).textContent).toMatch(/^Running/);
    await user.click(screen.getByRole('button', { name: 'Pause all automation' }));
    const dialog = await screen.findByRole('dialog', { name: 'Pause all automation?' });
    expect(dialog.textContent).toContain('no automatic switch, no automatic rollback, no canary promotion');
    expect(within(dialog).getByRole('row', { name: /^Automation/ }).textContent).toBe(
      'Automationrunningpaused',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Pause all automation' }));
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'Automation state' }).textContent).toMatch(
        /^Paused by ada@cartae\.test since .+ \(just now\): no automatic switch/,
      ),
    );
    expect((await settings()).automationPaused).toBe(true);
    const { data } = await own.worker.rpc('evaluate_fleet_automation', {});
    expect(data).toMatchObject({ action: 'none', paused: true });

    await user.click(screen.getByRole('tab', { name: 'Monitoring' }));
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'Automatic switch' }).textContent).toMatch(
        /^Automatic switch: paused by ada@cartae\.test since .+ \(just now\) — the whole fleet automation is paused/,
      ),
    );
    const alerts = await screen.findByRole('list', { name: 'Alerts, newest first' });
    expect(within(alerts).getAllByRole('listitem')[0]?.textContent).toMatch(
      /^Settings changed.+ada@cartae\.test paused the fleet automation/,
    );

    await user.click(screen.getByRole('tab', { name: 'Automation' }));
    await user.click(await screen.findByRole('button', { name: 'Resume automation' }));
    const resume = await screen.findByRole('dialog', { name: 'Resume the automation?' });
    await user.click(within(resume).getByRole('button', { name: 'Resume automation' }));
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'Automation state' }).textContent).toMatch(/^Running/),
    );
    expect((await settings()).automationPaused).toBe(false);
  });

  it('the webhook URL is shown masked once set; a secret is write-only, generated and shown once, refused when too short with the database’s words', async () => {
    const user = renderPanel(ada, 'automation');
    const url = await screen.findByRole('textbox', { name: 'New webhook URL' });
    expect(screen.getByText('none', { selector: 'strong' })).toBeTruthy();
    await user.type(url, 'https://hooks.slack.com/services/T0/B0/XXXX');
    await user.click(screen.getByRole('button', { name: 'Set webhook URL' }));
    const dialog = await screen.findByRole('dialog', { name: 'Send alerts to this webhook?' });
    expect(within(dialog).getByRole('row', { name: /^Alert webhook URL/ }).textContent).toBe(
      'Alert webhook URLnone (alerts go to the feed only)https://hooks.slack.com/services/T0/B0/XXXX',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Set webhook URL' }));
    expect(await screen.findByText('https://hooks.slack.com/…', { selector: 'strong' })).toBeTruthy();
    expect((url as HTMLInputElement).value).toBe('');
    expect((await settings()).webhookUrl).toBe('https://hooks.slack.com/…');

    // Too short: refused before sending, with the words the database uses.
    const secret = screen.getByLabelText('New webhook secret') as HTMLInputElement;
    expect(secret.type).toBe('password');
    expect(screen.getByText('not set', { selector: 'strong' })).toBeTruthy();
    await user.type(secret, 'too-short');
    await user.click(screen.getByRole('button', { name: 'Set secret' }));
    const refusal =
      'invalid fleet settings: webhookSecret must be 16 to 256 characters without spaces or control characters, or null';
    expect(secret.getAttribute('aria-invalid')).toBe('true');
    expect(describedText(secret)).toBe(refusal);
    expect(screen.queryByRole('dialog')).toBeNull();
    const direct = await ada.supabase.rpc('update_fleet_settings', {
      p_changes: { webhookSecret: 'too-short' },
    });
    expect(direct.error).toMatchObject({ code: '22023', message: refusal });
    expect((await settings()).webhookSecretSet).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Generate a secret' }));
    expect(secret.type).toBe('text');
    expect(secret.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secret.getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByText(/Copy it now into the receiver/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy secret' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Set secret' }));
    const set = await screen.findByRole('dialog', { name: 'Sign alerts with this secret?' });
    expect(within(set).getByRole('row', { name: /^Webhook secret/ }).textContent).toBe(
      'Webhook secretnot setset (alerts are signed)',
    );
    expect(set.textContent).not.toContain(secret.value);
    await user.click(within(set).getByRole('button', { name: 'Set secret' }));
    expect(await screen.findByText('set', { selector: 'strong' })).toBeTruthy();
    // Shown once: gone from the page after saving.
    expect(secret.value).toBe('');
    expect(secret.type).toBe('password');
    expect(screen.queryByRole('button', { name: 'Copy secret' })).toBeNull();
    expect((await settings()).webhookSecretSet).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Remove secret' }));
    const remove = await screen.findByRole('dialog', { name: 'Remove the webhook secret?' });
    await user.click(within(remove).getByRole('button', { name: 'Remove secret' }));
    expect(await screen.findByText('not set', { selector: 'strong' })).toBeTruthy();
    expect((await settings()).webhookSecretSet).toBe(false);
  });

  it('the source health rule: an unchanged rule is not sent; a new one is confirmed and saved; an invalid one is refused', async () => {
    const user = renderPanel(ada, 'automation');
    const percent = await screen.findByRole('spinbutton', {
      name: 'Unhealthy above (% of requests failing)',
    });
    const entries = (await feed()).length;
    await user.click(screen.getByRole('button', { name: 'Save source health rule' }));
    expect(await screen.findByText('Nothing to change: the settings already say so.')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect((await feed()).length).toBe(entries);

    await user.clear(percent);
    await user.type(percent, '0');
    await user.click(screen.getByRole('button', { name: 'Save source health rule' }));
    expect(describedText(percent)).toBe(
      'invalid fleet settings: sourceAlert.errorPercent must be a number between 1 and 100',
    );
    expect(screen.queryByRole('dialog')).toBeNull();

    await user.clear(percent);
    await user.type(percent, '35');
    const window = screen.getByRole('spinbutton', { name: 'Over the last (minutes)' });
    await user.clear(window);
    await user.type(window, '10');
    await user.click(screen.getByRole('button', { name: 'Save source health rule' }));
    const dialog = await screen.findByRole('dialog', { name: 'Change the source health alert?' });
    expect(within(dialog).getByRole('row', { name: /^Source health alert/ }).textContent).toBe(
      "Source health alerterrors above 20 % of a source's requests over 5 minerrors above 35 % of a source's requests over 10 min",
    );
    await user.click(within(dialog).getByRole('button', { name: 'Save the rule' }));
    expect(await screen.findByText('Saved: Source health alert.')).toBeTruthy();
    expect((await settings()).sourceAlert).toEqual({ errorPercent: 35, windowMinutes: 10 });
    expect((await feed())[0]?.text).toBe(
      'ada@cartae.test set the source health alert to errors above 35 % over 10 min',
    );
  });

  it('a non-admin is refused by the panel and by the functions themselves', async () => {
    const member = await signedInAs(own.member, own.where);
    try {
      render(<AutomationTab service={member.service} />);
      expect((await screen.findByRole('alert')).textContent).toMatch(
        /^The automation settings could not be loaded: You are not a marketplace admin/,
      );
      cleanup();
      render(<AlertFeed service={member.service} />);
      expect((await screen.findByRole('alert')).textContent).toMatch(
        /^The alerts could not be loaded: You are not a marketplace admin/,
      );
      const refused = await member.service.updateFleetSettings({ automationPaused: true });
      expect(refused).toMatchObject({ ok: false, error: { kind: 'not_authorised' } });
      const direct = await member.supabase.rpc('update_fleet_settings', {
        p_changes: { automationPaused: true },
      });
      expect(direct.error?.code).toBe('42501');
      expect((await member.supabase.rpc('get_fleet_alerts', {})).error?.code).toBe('42501');
      expect((await settings()).automationPaused).toBe(false);
    } finally {
      member.resolver.dispose();
    }
  });
});

describe('Marketplace: rollout guard and canary ramp', () => {
  it('shows the guard’s defaults when the config has none, saves a change through the confirmation, and keeps the ramp for hybrid', async () => {
    await resetToGit(ada.service);
    const user = renderPanel(ada, 'marketplace');
    const guard = await screen.findByRole('checkbox', {
      name: 'Roll a change back automatically when its sources fail',
    });
    expect((guard as HTMLInputElement).checked).toBe(true);
    const guardPercent = screen.getByRole('spinbutton', {
      name: 'Error limit (% of requests)',
    }) as HTMLInputElement;
    expect(guardPercent.value).toBe('5');
    expect(
      (screen.getByRole('spinbutton', { name: 'Watch each change for (minutes)' }) as HTMLInputElement).value,
    ).toBe('10');
    expect(
      screen.getByText(/Not set in the config: the default applies \(on, 5 % errors over 10 min\)\./),
    ).toBeTruthy();
    const ramp = screen.getByRole('checkbox', { name: 'Promote the canary automatically' });
    expect(ramp.matches(':disabled')).toBe(true);
    expect(screen.getByText(/Only a hybrid source has a canary: switch to a hybrid first\./)).toBeTruthy();

    // Opening the form and saving adds nothing: absent stays absent.
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(
      await screen.findAllByText(/^Nothing to save: version \d+ already is this configuration/),
    ).not.toHaveLength(0);

    await user.clear(guardPercent);
    await user.type(guardPercent, '2');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save these settings for every app?' });
    expect(rowTexts(dialog, /^Rollout guard/)).toEqual([
      'Rollout guardnot seton',
      'Rollout guard: error thresholdnot set2 %',
      'Rollout guard: windownot set10 min',
    ]);
    await user.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    expect(await screen.findAllByText(/^Saved as version/)).not.toHaveLength(0);
    expect((await currentDocument()).rolloutGuard).toEqual({
      enabled: true,
      errorPercent: 2,
      windowMinutes: 10,
    });
    cleanup();

    const saved = await ada.service.update({
      ...(await currentDocument()),
      type: 'hybrid',
      priority: ['cloudflare', 'git'],
      canaryPercent: 10,
    });
    expect(saved.ok).toBe(true);
    const again = renderPanel(ada, 'marketplace');
    const rampOn = await screen.findByRole('checkbox', { name: 'Promote the canary automatically' });
    expect(rampOn.matches(':disabled')).toBe(false);
    await again.click(rampOn);
    const steps = screen.getByRole('textbox', {
      name: 'Steps (% of installs, comma-separated, ending at 100)',
    });
    await again.clear(steps);
    await again.type(steps, '50, 10');
    await again.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(steps.getAttribute('aria-invalid')).toBe('true');
    expect(describedText(steps)).toBe(
      'canaryRamp.steps must be 1 to 10 whole percentages between 1 and 100, increasing, the last 100',
    );
    await again.clear(steps);
    await again.type(steps, '10, 50, 100');
    const hold = screen.getByRole('spinbutton', { name: 'Hold each step for (minutes)' });
    await again.clear(hold);
    await again.type(hold, '30');
    await again.click(screen.getByRole('button', { name: 'Save settings' }));
    const confirm = await screen.findByRole('dialog', { name: 'Save these settings for every app?' });
    expect(rowTexts(confirm, /^Canary ramp/)).toEqual([
      'Canary rampnot seton',
      'Canary ramp: stepsnot set10 → 50 → 100 %',
      'Canary ramp: holdnot set30 min',
    ]);
    await again.click(within(confirm).getByRole('button', { name: 'Save settings' }));
    expect(await screen.findAllByText(/^Saved as version/)).not.toHaveLength(0);
    expect((await currentDocument()).canaryRamp).toEqual({
      enabled: true,
      steps: [10, 50, 100],
      holdMinutes: 30,
    });
  });

  it('a canary promoted by the control plane shows in History as such, with its evidence in words', async () => {
    await resetToGit(ada.service);
    const saved = await ada.service.update({
      ...(await currentDocument()),
      type: 'hybrid',
      priority: ['cloudflare', 'git'],
      canaryPercent: 10,
      canaryRamp: { enabled: true, steps: [10, 50, 100], holdMinutes: 1 },
    });
    if (!saved.ok) throw new Error(saved.error.message);
    // The evaluation as of 4 minutes from now (p_now is for tests and replays): the 1-minute hold
    // is over, and the CDN served the three complete minutes since the change well.
    const minute = (n: number) => new Date((Math.floor(Date.now() / 60_000) + n) * 60_000).toISOString();
    const rows = [1, 2, 3].map((n) =>
      usageRow(minute(n), {
        source: 'cloudflare',
        configVersion: saved.value.version,
        installs: 25,
        reports: 25,
        requests: 100,
        successes: 99,
        errors: 1,
      }),
    );
    const ingested = await own.worker.rpc('ingest_usage_aggregates', { p_rows: rows });
    expect(ingested.error).toBeNull();
    const { data, error } = await own.worker.rpc('evaluate_fleet_automation', { p_now: minute(4) });
    expect(error).toBeNull();
    expect(data).toMatchObject({ action: 'promoted', from: 10, to: 50 });
    const promoted = (data as { version: number }).version;

    renderPanel(ada, 'history');
    const list = await screen.findByRole('list', { name: 'Configuration changes, newest first' });
    const latest = within(list).getAllByRole('listitem')[0] as HTMLElement;
    expect(within(latest).getByRole('heading').textContent).toBe(
      `Version ${promoted} · Hybrid, CDN first then Git`,
    );
    expect(latest.textContent).toContain(
      ' · Canary promoted automatically · “auto-ramp: Cartae raised the canary',
    );
    const evidence = within(latest).getByRole('region', { name: `Evidence for version ${promoted}` });
    expect(evidence.textContent).toContain('Canary raised from 10 % to 50 % of installs.');
    expect(evidence.textContent).toContain('Ramp: 10 % → 50 % → 100 %, each held 1 min.');
    // Two or three of the rows, as the minute turns: 1 % either way.
    expect(evidence.textContent).toMatch(/[23] of [23]00 CDN requests failed \(1 %\)\./);
    expect(evidence.textContent).toContain('Rollout guard: at most 5 % errors.');
    expect(within(latest).getByRole('list', { name: /^Changes in version/ }).textContent).toBe(
      'Canary percentage: 10 % → 50 %',
    );
  });
});
