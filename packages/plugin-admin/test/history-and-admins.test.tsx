import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdminPanel } from '../src/components/AdminPanel.tsx';
import { ConfigHistoryPanel } from '../src/components/ConfigHistoryPanel.tsx';
import { ICON_LABELS, Icon, type IconName } from '../src/components/Icon.tsx';
import { SourceHostsSettings } from '../src/components/SourceHostsSettings.tsx';
import { signedInAs } from './support/admin-session.ts';
import { startAdminsStandIn } from './support/admins-stand-in.ts';

// These tests write versions and change who is an admin: on a stand-in of their own, so the
// shared one's "current version" holds still for the other files.
type Own = Awaited<ReturnType<typeof startAdminsStandIn>>;
let own: Own;
let ada: Awaited<ReturnType<typeof signedInAs>>;
const adaLogin = { email: 'ada@history.test', password: 'ada-password' };
const graceLogin = { email: 'grace@history.test', password: 'grace-password' };

beforeAll(async () => {
  own = await startAdminsStandIn();
  await own.createUser({ ...adaLogin, name: 'Ada Lovelace', admin: true });
  await own.createUser({ ...graceLogin, name: 'Grace Hopper' });
  ada = await signedInAs(adaLogin, own.where);
  const now = await ada.service.get();
  if (!now.ok) throw new Error(now.error.message);
  // Versions with known changes: TTL 30 → 60 → 90 → 120, then the canary to 50 %.
  for (const [ttl, reason] of [
    [30, 'start at 30 s'],
    [60, 'longer cache'],
    [90, 'longer still'],
    [120, 'two minutes'],
  ] as const) {
    const saved = await ada.service.update({ ...now.value.document, cacheTtlSeconds: ttl }, { reason });
    if (!saved.ok) throw new Error(saved.error.message);
  }
}, 90_000);
afterAll(async () => {
  ada?.resolver.dispose();
  await own?.stop();
});
afterEach(cleanup);

const versionOf = async () => {
  const r = await ada.service.get();
  if (!r.ok) throw new Error(r.error.message);
  return r.value.version;
};
const items = (list: HTMLElement) => within(list).getAllByRole('listitem', { name: /^Version \d+/ });

describe('History', () => {
  it('names settings in words, marks the current version, and pages back to the first', async () => {
    const current = await versionOf();
    const user = userEvent.setup();
    render(<ConfigHistoryPanel service={ada.service} pageSize={2} />);
    const list = await screen.findByRole('list', { name: 'Configuration changes, newest first' });
    expect(items(list)).toHaveLength(2);

    const newest = within(list).getByRole('listitem', { name: `Version ${current} (current)` });
    expect(within(newest).getByText('Current')).toBeTruthy();
    const changes = within(newest).getByRole('list', { name: `Changes in version ${current}` });
    expect(changes.textContent).toBe('Cache TTL: 90 s → 120 s');
    expect(newest.textContent).not.toContain('cacheTtlSeconds');
    expect(within(newest).queryByRole('button', { name: /Roll back/ })).toBeNull();
    expect(screen.getAllByText('Current')).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Load older versions' }));
    await waitFor(() => expect(items(list)).toHaveLength(4));
    for (let n = items(list).length; screen.queryByRole('button', { name: 'Load older versions' }); ) {
      await user.click(screen.getByRole('button', { name: 'Load older versions' }));
      await waitFor(() => expect(items(list).length).toBeGreaterThan(n));
      await waitFor(() => expect(screen.queryByRole('button', { name: /^Loading older/ })).toBeNull());
      n = items(list).length;
    }
    expect(await screen.findByText('That is every version, back to the first.')).toBeTruthy();
    expect(items(list).map((li) => li.getAttribute('aria-label'))).toEqual(
      Array.from({ length: current }, (_, i) => `Version ${current - i}${i === 0 ? ' (current)' : ''}`),
    );
    expect(within(list).getByRole('listitem', { name: 'Version 1' }).textContent).toContain(
      'The first version: installed with these settings.',
    );
  });

  it('compares any older version with the current one, in words, before any rollback', async () => {
    const current = await versionOf();
    const target = current - 2; // TTL 60 s
    const user = userEvent.setup();
    render(<ConfigHistoryPanel service={ada.service} />);
    const entry = await screen.findByRole('listitem', { name: `Version ${target}` });
    await user.click(within(entry).getByRole('button', { name: 'Compare with current' }));
    const compared = within(entry).getByRole('region', { name: `Version ${target} compared with current` });
    expect(compared.textContent).toContain(`Rolling back to version ${target} would change:`);
    expect(within(compared).getByRole('list').textContent).toBe('Cache TTL: 120 s → 60 s');
    expect(within(entry).getByRole('button', { name: 'Hide comparison' }).getAttribute('aria-expanded')).toBe(
      'true',
    );

    await user.click(within(entry).getByRole('button', { name: `Roll back to version ${target}` }));
    // The rollback itself goes through the review step (RollbackReview), against the same current config.
    const dialog = await screen.findByRole('dialog', { name: `Roll back to version ${target}?` });
    expect(dialog.textContent).toContain('Cache TTL120 s60 s');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
  });

  it('after a rollback in History, the badge moves and the Marketplace tab shows the new version', async () => {
    const before = await versionOf();
    const user = userEvent.setup();
    render(
      <AdminPanel
        service={ada.service}
        resolver={ada.resolver}
        urlPolicy={ada.urlPolicy}
        initialTab="history"
      />,
    );
    const entry = await screen.findByRole('listitem', { name: `Version ${before - 1}` });
    await user.click(within(entry).getByRole('button', { name: `Roll back to version ${before - 1}` }));
    const dialog = await screen.findByRole('dialog', { name: `Roll back to version ${before - 1}?` });
    await user.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    expect(
      await screen.findByText(new RegExp(`is now version ${before + 1}`), { selector: 'p' }),
    ).toBeTruthy();
    expect(await screen.findByRole('listitem', { name: `Version ${before + 1} (current)` })).toBeTruthy();
    expect(screen.getByRole('listitem', { name: `Version ${before}` })).toBeTruthy();

    await user.click(screen.getByRole('tab', { name: 'Marketplace' }));
    const version = await screen.findByText('Config version', { selector: 'dt' });
    await waitFor(() => expect(version.nextElementSibling?.textContent).toBe(String(before + 1)));
  });
});

describe('Admins', () => {
  it('lists the admins, adds one by email, and removes them after a confirmation', async () => {
    const user = userEvent.setup();
    render(<AdminPanel service={ada.service} initialTab="admins" />);
    const list = await screen.findByRole('list', { name: 'Marketplace admins' });
    expect(list.textContent).toContain(`${adaLogin.email}`);
    expect(list.textContent).toContain('— you');

    await user.type(screen.getByLabelText('Email'), graceLogin.email);
    await user.type(screen.getByLabelText('Name (optional)'), 'Grace Hopper');
    await user.click(screen.getByRole('button', { name: 'Add admin' }));
    const who = `Grace Hopper (${graceLogin.email})`;
    expect(
      await screen.findByText(`${who} is now a marketplace admin.`, { selector: 'p.cartae-admin__notice' }),
    ).toBeTruthy();
    expect(screen.getByRole('status', { name: 'Admin panel announcements' }).textContent).toBe(
      `${who} is now a marketplace admin.`,
    );
    const asGrace = await signedInAs(graceLogin, own.where);
    expect(await asGrace.service.isAdmin()).toEqual({ ok: true, value: true });

    await user.click(within(list).getByRole('button', { name: `Remove ${who}` }));
    const dialog = await screen.findByRole('dialog', { name: `Remove ${who} as an admin?` });
    expect(dialog.textContent).toContain('They can no longer change the marketplace source');
    await user.click(within(dialog).getByRole('button', { name: 'Remove admin' }));
    expect(
      await screen.findByText(`${who} is no longer a marketplace admin.`, {
        selector: 'p.cartae-admin__notice',
      }),
    ).toBeTruthy();
    expect(await asGrace.service.isAdmin()).toEqual({ ok: true, value: false });
    await waitFor(() => expect(within(list).queryByText(who)).toBeNull());
    asGrace.resolver.dispose();
  });

  it('never removes the last admin: the button is off and says why (the database refuses too: see marketplace-admins.test.ts)', async () => {
    render(<AdminPanel service={ada.service} initialTab="admins" />);
    const list = await screen.findByRole('list', { name: 'Marketplace admins' });
    const remove = within(list).getByRole('button', { name: 'Remove yourself' }) as HTMLButtonElement;
    expect(remove.disabled).toBe(true);
    expect(screen.getByText('The only admin cannot be removed: add another admin first.')).toBeTruthy();
    expect(await ada.service.isAdmin()).toEqual({ ok: true, value: true });
  });
});

describe('Icon', () => {
  it('every icon has an accessible name, its own or the one given; a decorative one is hidden', () => {
    const names = Object.keys(ICON_LABELS) as IconName[];
    render(
      <p>
        {names.map((name) => (
          <Icon key={name} name={name} />
        ))}
        <Icon name="error" label="Unhealthy" />
        <Icon name="ok" decorative />
      </p>,
    );
    for (const name of names) expect(screen.getByRole('img', { name: ICON_LABELS[name] })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Unhealthy' }).querySelector('title')?.textContent).toBe(
      'Unhealthy',
    );
    expect(screen.getAllByRole('img')).toHaveLength(names.length + 1);
    expect(document.querySelector('svg[aria-hidden="true"]')).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/\p{Extended_Pictographic}/u);
  });
});

describe('Statistics', () => {
  it('counts requests and per-source attempts apart, and says why they differ', async () => {
    await ada.resolver.reloadConfig();
    await ada.resolver.checkHealth(); // attempts with no request
    render(<AdminPanel service={ada.service} resolver={ada.resolver} initialTab="statistics" />);
    const requests = await screen.findByText('Requests', { selector: 'dt' }, { timeout: 10_000 });
    expect(requests.nextElementSibling?.textContent).toBe('0');
    const git = screen.getByText('Git attempts', { selector: 'dt' });
    expect(Number(git.nextElementSibling?.textContent)).toBeGreaterThanOrEqual(1);
    expect(screen.getByText(/attempts do not add up to requests/)).toBeTruthy();
    expect(screen.getByText('Served from the stale copy', { selector: 'dt' })).toBeTruthy();
  });
});

describe('Source hosts (the control plane list)', () => {
  it('lists the hosts, adds one after a confirmation, and refuses a URL or removing a host in use', async () => {
    const user = userEvent.setup();
    render(<SourceHostsSettings hosts={ada.service.sourceHosts()} />);
    const list = await screen.findByRole('list', { name: 'Source hosts' });
    expect(list.textContent).toContain('raw.githubusercontent.com');
    // The config uses the local Git host: that one cannot be removed.
    const inUse = within(list)
      .getAllByRole('button')
      .find((b) => (b as HTMLButtonElement).disabled);
    expect(inUse).toBeDefined();

    await user.type(screen.getByLabelText('Host to add'), 'https://cdn2.cartae.com');
    await user.click(screen.getByRole('button', { name: 'Add host' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'invalid source host: give the host name alone, without a scheme, port or path',
    );

    await user.clear(screen.getByLabelText('Host to add'));
    await user.type(screen.getByLabelText('Host to add'), ' CDN2.Cartae.com ');
    await user.type(screen.getByLabelText('Why (optional)'), 'second CDN');
    await user.click(screen.getByRole('button', { name: 'Add host' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add cdn2.cartae.com to the source hosts?' });
    await user.click(within(dialog).getByRole('button', { name: 'Add host' }));
    expect(await screen.findByText(/cdn2\.cartae\.com is on the list of source hosts\./)).toBeTruthy();
    await waitFor(() =>
      expect(list.textContent).toContain('cdn2.cartae.com · second CDN · added by ada@history.test'),
    );
    const hosts = await ada.service.sourceHosts().list();
    expect(hosts.ok && hosts.value.some((h) => h.host === 'cdn2.cartae.com')).toBe(true);
  });
});
