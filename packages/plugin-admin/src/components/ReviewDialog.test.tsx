import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { reviewChange } from '../model/change-review.ts';
import { describeChanges } from '../model/history-changes.ts';
import { ReviewDialog } from './ReviewDialog.tsx';

// The review step on its own, from the pure review of two documents: what a person sees and
// what a key press does. The whole flow against the control plane is in test/review-step.test.tsx.
const GIT = 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json';
const CDN = 'https://marketplace.cartae.com';
const saved = { type: 'git', priority: ['git'], gitUrl: GIT, cloudflareUrl: CDN, cacheTtlSeconds: 30 };

afterEach(cleanup);

function renderReview(proposed: Record<string, unknown>, checks: Parameters<typeof reviewChange>[2] = {}) {
  const calls = { confirm: 0, cancel: 0 };
  render(
    <ReviewDialog
      title="Save these settings for every app?"
      confirmLabel="Save settings"
      savedLabel="version 7"
      review={reviewChange(saved, proposed, checks)}
      busy={false}
      onConfirm={() => calls.confirm++}
      onCancel={() => calls.cancel++}
    />,
  );
  return { dialog: screen.getByRole('dialog', { name: 'Save these settings for every app?' }), calls };
}

const rows = (dialog: HTMLElement) =>
  within(dialog)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.children].map((cell) => cell.textContent));

describe('the review dialog', () => {
  it('names and words every changed setting as History does, in History’s order, with its saved and new value', () => {
    const proposed = {
      ...saved,
      type: 'hybrid',
      priority: ['cloudflare', 'git'],
      canaryPercent: 12,
      cacheTtlSeconds: 60,
      futureField: true,
    };
    const { dialog } = renderReview(proposed, {
      cloudflare: { url: CDN, ok: true },
      git: { url: GIT, ok: true },
    });
    expect(rows(dialog)).toEqual([
      ['Source', 'Git', 'Hybrid (both sources)'],
      ['Order tried', 'Git', 'CDN → Git'],
      ['Canary percentage', 'not set', '12 %'],
      ['Cache TTL', '30 s', '60 s'],
      ['futureField', 'not set', 'true'],
    ]);
    const history = describeChanges(saved, proposed).map((line) => line.label);
    expect(
      within(dialog)
        .getAllByRole('rowheader')
        .map((h) => h.textContent),
    ).toEqual(history);
    expect(within(dialog).getByRole('table').querySelector('caption')?.textContent).toBe(
      '5 fields change against the saved config (version 7)',
    );
  });

  it('states the effect in seconds from the TTL the fleet holds now, then the new one', () => {
    const { dialog } = renderReview({ ...saved, cacheTtlSeconds: 60 }, { git: { url: GIT, ok: true } });
    expect(dialog.textContent).toContain(
      'Every installed app follows within ~30 s (the cache TTL it holds now), then checks every ~60 s.',
    );
    expect(within(dialog).getByRole('table').querySelector('caption')?.textContent).toBe(
      'One field changes against the saved config (version 7)',
    );
  });

  it('warns, in words, about a URL never tested, one that failed its Test, and a host the fleet does not use now', () => {
    const hybrid = {
      ...saved,
      type: 'hybrid',
      priority: ['cloudflare', 'git'],
      cloudflareUrl: 'https://cdn.example.org',
    };
    const { dialog } = renderReview(hybrid, {
      cloudflare: { url: hybrid.cloudflareUrl, ok: false, error: 'HTTP 404' },
    });
    expect(
      within(within(dialog).getByRole('list', { name: 'Warnings' }))
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      'Warning: Cloudflare CDN URL https://cdn.example.org failed its last Test: HTTP 404.',
      `Warning: Git URL ${GIT} was never tested from this browser.`,
      'Warning: This points the fleet at cdn.example.org, raw.githubusercontent.com; it uses raw.githubusercontent.com now.',
    ]);
  });

  it('shows no warnings when every URL used passed its Test and no host is new', () => {
    const { dialog } = renderReview({ ...saved, cacheTtlSeconds: 60 }, { git: { url: GIT, ok: true } });
    expect(within(dialog).queryByRole('list', { name: 'Warnings' })).toBeNull();
  });

  it('starts on Cancel; Enter on the confirm button does nothing, Space confirms, Escape cancels', async () => {
    const user = userEvent.setup();
    const { dialog, calls } = renderReview({ ...saved, cacheTtlSeconds: 60 });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    within(dialog).getByRole('button', { name: 'Save settings' }).focus();
    await user.keyboard('{Enter}');
    expect(calls.confirm).toBe(0);
    await user.keyboard(' ');
    expect(calls.confirm).toBe(1);
    await user.keyboard('{Escape}');
    expect(calls.cancel).toBe(1);
  });
});
