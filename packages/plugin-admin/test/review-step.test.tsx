import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import type userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetToGit, signedInAs, stack } from './support/admin-session.ts';
import { startOwnStandIn } from './support/own-stand-in.ts';
import { renderPanel, type Session } from './support/render-panel.tsx';

// Issue 14, points 1, 3–6: one review step for every change, nothing that changes nothing,
// feedback beside the action and in one live region, unsaved edits marked and guarded. This
// file changes versions all the time, so it has a stand-in of its own (files run in parallel).
let own: Awaited<ReturnType<typeof startOwnStandIn>>;
let where: { supabaseUrl: string; anonKey: string };
const ada = { email: 'ada@review.test', password: 'ada-password', displayName: 'Ada Lovelace' };
const grace = { email: 'grace@review.test', password: 'grace-password', displayName: 'Grace Hopper' };
let session: Session;

beforeAll(async () => {
  own = await startOwnStandIn([ada, grace]);
  where = own.where;
}, 60_000);
afterAll(async () => {
  await own?.stop();
});
beforeEach(async () => {
  session = await signedInAs(ada, where);
  await resetToGit(session.service);
});
afterEach(() => {
  cleanup();
  session.resolver.dispose();
});

const saved = async () => {
  const r = await session.service.get();
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const liveRegion = () => screen.getByRole('status', { name: 'Admin panel announcements' });
const pageVersion = () => screen.getByText('Config version').nextElementSibling?.textContent;
async function typeInto(user: ReturnType<typeof userEvent.setup>, label: string, text: string) {
  const input = screen.getByLabelText(label);
  await user.clear(input);
  await user.type(input, text);
  return input;
}

describe('the source switches (point 1)', () => {
  it('apply to the saved config: unsaved bad URLs in the form are never saved by a switch', async () => {
    const before = await saved();
    const user = renderPanel(session);
    await screen.findByText('Git', { selector: 'dd' });
    await typeInto(user, 'Cloudflare CDN URL', 'https://marketplace.cartae.com/broken');
    await typeInto(user, 'Git URL', 'https://raw.githubusercontent.com/nobody/nothing/main/registry.json');
    await user.click(screen.getByRole('button', { name: 'Cloudflare CDN' }));

    const dialog = await screen.findByRole('dialog', { name: 'Switch every app to Cloudflare CDN?' });
    const rows = within(dialog)
      .getAllByRole('row')
      .slice(1)
      .map((r) => r.textContent);
    expect(rows).toEqual(['SourceGitCloudflare CDN', 'Order triedGitCDN']);
    expect(dialog.textContent).toContain('Your unsaved edits in the form are not part of this switch');
    await user.click(within(dialog).getByRole('button', { name: 'Switch to Cloudflare CDN' }));
    await screen.findByText(/^Saved as version/);

    const after = await saved();
    expect(after.document).toMatchObject({
      type: 'cloudflare',
      cloudflareUrl: before.document.cloudflareUrl,
    });
    expect(after.document.gitUrl).toBe(before.document.gitUrl);
    // The edits are still in the form, marked unsaved.
    expect((screen.getByLabelText('Cloudflare CDN URL') as HTMLInputElement).value).toBe(
      'https://marketplace.cartae.com/broken',
    );
    expect(screen.getByText('● Unsaved changes')).toBeTruthy();
  });

  it('clicking the active source opens nothing and says it is active', async () => {
    const before = await saved();
    const user = renderPanel(session);
    await screen.findByText('Git', { selector: 'dd' });
    await user.click(screen.getByRole('button', { name: 'Git' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    const switches = screen.getByRole('group', { name: 'Switch the whole fleet to' });
    expect(switches.textContent).toContain('Git is already the active source');
    expect((await saved()).version).toBe(before.version);
  });
});

describe('the review dialog (point 1, 10)', () => {
  it('starts on Cancel, Enter never confirms, and the effect is in seconds from the saved TTL', async () => {
    const before = await saved();
    const user = renderPanel(session);
    await screen.findByText('Git', { selector: 'dd' });
    await user.click(screen.getByRole('button', { name: 'Hybrid (CDN → Git)' }));
    const dialog = await screen.findByRole('dialog');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(dialog.textContent).toContain('Every installed app follows within ~300 s');
    within(dialog)
      .getByRole('button', { name: /^Switch to/ })
      .focus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('dialog')).toBeTruthy();
    expect((await saved()).version).toBe(before.version);
  });

  it('warns about a URL that failed Test and one never tested, and shows the save field by field', async () => {
    // A hybrid fleet uses both URLs.
    await session.service.update({
      ...(await saved()).document,
      type: 'hybrid',
      priority: ['cloudflare', 'git'],
    });
    const user = renderPanel(session);
    await screen.findByText(/^Hybrid/, { selector: 'dd' });
    await typeInto(user, 'Cloudflare CDN URL', stack().htmlSourceUrl);
    await user.click(screen.getByRole('button', { name: 'Test Cloudflare CDN URL' }));
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'Cloudflare CDN URL test result' }).textContent).toMatch(
        /❌/,
      ),
    );
    await typeInto(user, 'Cache TTL (seconds)', '30');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save these settings for every app?' });
    const fields = within(dialog)
      .getAllByRole('rowheader')
      .map((h) => h.textContent);
    expect(fields).toEqual(['Cloudflare CDN URL', 'Cache TTL']);
    expect(dialog.textContent).toContain('then checks every ~30 s');
    const warnings = within(dialog)
      .getAllByRole('listitem')
      .map((w) => w.textContent);
    expect(warnings).toEqual([
      expect.stringMatching(/^Warning: Cloudflare CDN URL http:\/\/127\.0\.0\.1:\d+ failed its last Test: /),
      expect.stringMatching(
        /^Warning: Git URL http:\/\/127\.0\.0\.1:\d+\/registry\.json was never tested from this browser\.$/,
      ),
      // The HTML source listens on another loopback port: a host the fleet does not use now.
      expect.stringMatching(/^Warning: This points the fleet at /),
    ]);
  });

  it('saving a form that changes nothing sends nothing', async () => {
    const before = await saved();
    const user = renderPanel(session);
    await screen.findByText('Git', { selector: 'dd' });
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    const form = screen.getByRole('group', { name: 'Sources and settings' });
    expect(
      within(form).getByText(/^Nothing to save: version \d+ already is this configuration/),
    ).toBeTruthy();
    expect(liveRegion().textContent).toMatch(/^Nothing to save/);
    expect((await saved()).version).toBe(before.version);
  });

  it('a fractional canary is refused in the form with the same rule as the database', async () => {
    const user = renderPanel(session);
    await screen.findByText('Git', { selector: 'dd' });
    const canary = await typeInto(user, 'Canary percentage (hybrid)', '12.5');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(canary.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('canaryPercent-error')?.textContent).toBe(
      'Canary percentage must be a whole number between 0 and 100',
    );
  });
});

describe('feedback (point 5) and unsaved edits (point 6)', () => {
  it('a save is reported beside the button and in the live region; the page top shows the new version at once', async () => {
    const user = renderPanel(session);
    await screen.findByText('Git', { selector: 'dd' });
    await typeInto(user, 'Cache TTL (seconds)', '60');
    expect(screen.getByRole('heading', { name: /unsaved changes/ })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Save settings' }));
    const form = screen.getByRole('group', { name: 'Sources and settings' });
    const version = (await saved()).version;
    expect((await within(form).findByText(/^Saved as version/)).textContent).toContain(`version ${version}`);
    expect(liveRegion().textContent).toContain(`Saved as version ${version}`);
    expect(pageVersion()).toBe(String(version));
    expect(screen.queryByText('● Unsaved changes')).toBeNull();
  });

  it('a conflict is shown beside the action, announced, and the page top says the version saved meanwhile', async () => {
    const user = renderPanel(session);
    await screen.findByText('Git', { selector: 'dd' });
    const other = await signedInAs(grace, where);
    const theirs = await other.service.update({ ...(await saved()).document, cacheTtlSeconds: 120 });
    other.resolver.dispose();
    const theirVersion = theirs.ok ? theirs.value.version : 0;
    await user.click(screen.getByRole('button', { name: 'Cloudflare CDN' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Switch to Cloudflare CDN' }));
    const switches = screen.getByRole('group', { name: 'Switch the whole fleet to' });
    const conflict = await within(switches).findByRole('region', { name: 'Conflicting change' });
    expect(conflict.textContent).toContain(`Version ${theirVersion} was saved while you were editing`);
    expect(liveRegion().textContent).toContain(`version ${theirVersion} was saved by someone else`);
    expect(pageVersion()).toBe(String(theirVersion));
  });

  it('keeps unsaved edits across a tab change and guards leaving the page', async () => {
    const user = renderPanel(session);
    await screen.findByText('Git', { selector: 'dd' });
    await typeInto(user, 'Cache TTL (seconds)', '45');
    const leave = new Event('beforeunload', { cancelable: true });
    act(() => {
      window.dispatchEvent(leave);
    });
    expect(leave.defaultPrevented).toBe(true);

    await user.click(screen.getByRole('tab', { name: 'Automation' }));
    await user.click(screen.getByRole('tab', { name: 'Marketplace' }));
    const ttl = (await screen.findByLabelText('Cache TTL (seconds)')) as HTMLInputElement;
    expect(ttl.value).toBe('45');
    expect(screen.getByText('● Unsaved changes')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Discard changes' }));
    const calm = new Event('beforeunload', { cancelable: true });
    act(() => {
      window.dispatchEvent(calm);
    });
    expect(calm.defaultPrevented).toBe(false);
  });
});

describe('rollback through the review (points 3 and 4)', () => {
  async function openRollback(user: ReturnType<typeof userEvent.setup>, version: number) {
    await user.click(await screen.findByRole('button', { name: `Roll back to version ${version}` }));
    return screen.findByRole('dialog', { name: `Roll back to version ${version}?` });
  }

  it('shows what it changes against the current config, warns about other hosts, and passes the expected version', async () => {
    const target = await session.service.update({
      ...(await saved()).document,
      type: 'cloudflare',
      priority: ['cloudflare'],
      cloudflareUrl: 'https://marketplace.cartae.com',
      cacheTtlSeconds: 60,
    });
    const targetVersion = target.ok ? target.value.version : 0;
    await resetToGit(session.service);
    const user = renderPanel(session, 'history');
    const dialog = await openRollback(user, targetVersion);
    const fields = within(dialog)
      .getAllByRole('rowheader')
      .map((h) => h.textContent);
    expect(fields).toEqual(['Source', 'Order tried', 'Cloudflare CDN URL', 'Cache TTL']);
    expect(within(dialog).getByRole('list', { name: 'Warnings' }).textContent).toContain(
      'This points the fleet at marketplace.cartae.com',
    );

    // Someone saves meanwhile: the rollback is refused and reviewed again against their version.
    const other = await signedInAs(grace, where);
    const theirs = await other.service.update({ ...(await saved()).document, cacheTtlSeconds: 90 });
    other.resolver.dispose();
    const theirVersion = theirs.ok ? theirs.value.version : 0;
    await user.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    expect(
      await within(dialog).findByText(/was saved while you were reviewing; nothing was rolled back/),
    ).toBeTruthy();
    expect((await saved()).version).toBe(theirVersion);
    expect(dialog.textContent).toContain(`version ${theirVersion}, the current one`);

    await user.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((await saved()).document).toMatchObject({ type: 'cloudflare', cacheTtlSeconds: 60 });
    expect(liveRegion().textContent).toContain(`configuration of version ${targetVersion} is now version`);
  });

  it('rolling back to the current content opens nothing and sends nothing', async () => {
    const current = await saved();
    const again = await session.service.update({ ...current.document, cacheTtlSeconds: 61 });
    await resetToGit(session.service);
    const now = await saved();
    expect(again.ok).toBe(true);
    const user = renderPanel(session, 'history');
    // The version before the TTL change has the current content.
    await user.click(await screen.findByRole('button', { name: `Roll back to version ${current.version}` }));
    expect(screen.queryByRole('dialog')).toBeNull();
    const history = screen.getByRole('region', { name: 'History' });
    expect(await within(history).findByText(/^Nothing to roll back/)).toBeTruthy();
    expect((await saved()).version).toBe(now.version);
  });
});
