import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminPanel } from '../src/components/AdminPanel.tsx';
import { resetToGit, signedInAs, stack } from './support/admin-session.ts';

type Session = Awaited<ReturnType<typeof signedInAs>>;
let ada: Session;
beforeEach(async () => {
  ada = await signedInAs(stack().admin);
  await resetToGit(ada.service);
});
afterEach(() => {
  cleanup();
  ada.resolver.dispose();
});

function renderPanel(session: Session, initialTab?: 'marketplace' | 'monitoring' | 'statistics' | 'history') {
  const user = userEvent.setup();
  render(
    <AdminPanel
      service={session.service}
      resolver={session.resolver}
      urlPolicy={session.urlPolicy}
      {...(initialTab ? { initialTab } : {})}
    />,
  );
  return user;
}

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
    expect(screen.getByRole('button', { name: '📦 Git' }).getAttribute('aria-pressed')).toBe('true');

    await user.type(screen.getByLabelText('Reason (kept in the history)'), 'GitHub rate limit');
    await user.click(screen.getByRole('button', { name: '☁️ Cloudflare CDN' }));
    const dialog = await screen.findByRole('dialog', { name: 'Switch every app to Cloudflare CDN?' });
    expect(dialog.textContent).toContain(
      'Every installed Cartae app switches to Cloudflare CDN within 5 minutes',
    );
    expect(dialog.textContent).toContain('Reason: GitHub rate limit');
    expect(document.activeElement).toBe(
      within(dialog).getByRole('button', { name: 'Switch to Cloudflare CDN' }),
    );

    await user.click(within(dialog).getByRole('button', { name: 'Switch to Cloudflare CDN' }));
    expect(await screen.findByText(`Saved as version ${before.version + 1}.`, { exact: false })).toBeTruthy();
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
    await user.click(screen.getByRole('button', { name: '🔄 Hybrid (CDN → Git)' }));
    await screen.findByRole('dialog');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect((await currentVersion(ada)).version).toBe(before.version);
  });

  it('hybrid with a 10% canary says who tries what first', async () => {
    const user = renderPanel(ada);
    await screen.findByText('Git', { selector: 'dd' });
    const canary = screen.getByLabelText('Canary percentage (hybrid)');
    await user.clear(canary);
    await user.type(canary, '10');
    await user.click(screen.getByRole('button', { name: '🔄 Hybrid (CDN → Git)' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('10% of installs try the CDN first, the others Git first');
    await user.click(within(dialog).getByRole('button', { name: /^Switch to/ }));
    await screen.findByText(/^Saved as version/);
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

    await user.click(screen.getByRole('button', { name: '☁️ Cloudflare CDN' }));
    await user.click(await screen.findByRole('button', { name: 'Switch to Cloudflare CDN' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Someone else changed the configuration/);
    const conflict = screen.getByRole('region', { name: 'Conflicting change' });
    expect(conflict.textContent).toContain(`Version ${theirVersion} was saved while you were editing`);
    expect(conflict.textContent).toContain('cacheTtlSeconds: theirs 120, yours 300');

    await user.click(
      within(conflict).getByRole('button', { name: `Save mine over version ${theirVersion}` }),
    );
    await user.click(await screen.findByRole('button', { name: 'Save my change' }));
    expect(await screen.findByText(`Saved as version ${theirVersion + 1}.`, { exact: false })).toBeTruthy();
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
    expect(screen.getByRole('tab', { name: 'Monitoring' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Monitoring' }));
    await user.keyboard('{End}');
    expect(screen.getByRole('tab', { name: 'History' }).getAttribute('aria-selected')).toBe('true');
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
    const [latest, previous] = within(list).getAllByRole('listitem');
    expect(latest?.textContent).toContain('admin change by Ada Lovelace (ada@cartae.test) · “to the CDN”');
    expect(within(latest as HTMLElement).getByRole('row', { name: /type/ }).textContent).toContain(
      'gitcloudflare',
    );

    const target = within(previous as HTMLElement).getByRole('heading').textContent ?? '';
    const targetVersion = Number(/Version (\d+)/.exec(target)?.[1]);
    await user.click(
      within(previous as HTMLElement).getByRole('button', { name: `Roll back to version ${targetVersion}` }),
    );
    const dialog = await screen.findByRole('dialog', { name: `Roll back to version ${targetVersion}?` });
    await user.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    expect((await screen.findByRole('status')).textContent).toContain(
      `configuration of version ${targetVersion}`,
    );
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
    await waitFor(() =>
      expect(screen.getByRole('row', { name: /^Git/ }).textContent).toContain('✅ healthy'),
    );
    expect(screen.queryByRole('alert')).toBeNull();

    await ada.service.update(
      { ...(await currentVersion(ada)).document, gitUrl: `${stack().failingSourceUrl}/registry.json` },
      { reason: 'point Git at a failing host' },
    );
    await ada.resolver.reloadConfig();
    await user.click(screen.getByRole('button', { name: 'Check now' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Git is unhealthy since/);
    expect(screen.getByRole('row', { name: /^Git/ }).textContent).toContain('❌ unhealthy');
  });

  it("shows this app's resolver figures and a chart", async () => {
    await ada.resolver.reloadConfig();
    const registry = await ada.resolver.getRegistry();
    expect(registry.ok).toBe(true);
    renderPanel(ada, 'statistics');
    // The Statistics tab loads its chart library lazily: the first load may take a few seconds on a busy machine.
    const total = await screen.findByText('Total requests', {}, { timeout: 10_000 });
    expect(total.nextElementSibling?.textContent).toBe('1');
    expect(screen.getByText('Git requests').nextElementSibling?.textContent).toBe('1');
    expect(screen.getByRole('figure', { name: /Requests over time/ })).toBeTruthy();
  });
});
