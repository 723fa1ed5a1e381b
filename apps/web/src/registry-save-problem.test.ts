import type { RegistryDocument } from '@cartae/marketplace-core';
import { DEFAULT_MARKETPLACE_CONFIG } from '@cartae/marketplace-core';
import { describe, expect, it } from 'vitest';
import {
  nextSaveProblem,
  type RegistrySaveProblem,
  type SaveHappening,
  saveProblemWords,
  shownSaveProblem,
} from './registry-save-problem.ts';
import type { RegistryView } from './registry-view.ts';
import { sourcePlanOf } from './source-plan.ts';

const quota = 'IndexedDB is over its quota (QuotaExceededError) writing "registry"';
const full = (version: number): RegistrySaveProblem => ({ version, code: 'storage_full', message: quota });
const notSaved = (version: number): SaveHappening => ({ kind: 'not-saved', ...full(version) });
const shown = (version: number): SaveHappening => ({ kind: 'shown', version });

describe('nextSaveProblem', () => {
  it.each([
    ['a failure with none known', undefined, notSaved(7), full(7)],
    ['a failure for a newer list replaces the older one', full(7), notSaved(8), full(8)],
    ['another version shown without a failure: saved, the problem is over', full(7), shown(8), undefined],
    ['an older version shown again: saved anew, the problem is over', full(8), shown(7), undefined],
    ['the same version shown again (a refresh): still not saved', full(7), shown(7), full(7)],
    ['a list shown with no problem known', undefined, shown(7), undefined],
  ] as const)('%s', (_name, current, happening, expected) => {
    expect(nextSaveProblem(current, happening)).toEqual(expected);
  });

  it('keeps a failure announced before its list is shown (a fast storage)', () => {
    const problem = [notSaved(7), shown(7)].reduce(nextSaveProblem, undefined);
    expect(problem).toEqual(full(7));
  });

  it('clears, then sets again, when a newer list is shown before its own failure (a slow storage)', () => {
    const after = [notSaved(7), shown(8)].reduce(nextSaveProblem, undefined);
    expect(after).toBeUndefined();
    expect(nextSaveProblem(after, notSaved(8))).toEqual(full(8));
  });
});

describe('shownSaveProblem', () => {
  const registry = (version: number): RegistryDocument => ({
    schemaVersion: 1,
    version,
    generatedAt: '2026-01-01T00:00:00.000Z',
    expires: '2099-01-01T00:00:00.000Z',
    plugins: [],
  });
  const config = {
    version: 1,
    origin: 'provider',
    plan: sourcePlanOf(DEFAULT_MARKETPLACE_CONFIG, 0),
  } as const;
  const ready = (version: number, stale = false): RegistryView => ({
    kind: 'ready',
    registry: registry(version),
    source: 'git',
    url: 'https://example.com/registry.json',
    stale,
    fallback: false,
    fetchedAt: 0,
    signedBy: undefined,
    config,
    error: undefined,
  });

  it.each([
    ['the list shown was not saved', ready(7), full(7), full(7)],
    ['a saved copy shown stale, never saved either', ready(7, true), full(7), full(7)],
    ['the problem is about another version', ready(8), full(7), undefined],
    ['no problem', ready(7), undefined, undefined],
    ['nothing shown yet', { kind: 'loading' } as RegistryView, full(7), undefined],
  ] as const)('%s', (_name, view, problem, expected) => {
    expect(shownSaveProblem(view, problem)).toEqual(expected);
  });
});

describe('saveProblemWords', () => {
  it('says what it means for the person, then the reason the resolver gave', () => {
    expect(saveProblemWords(full(7))).toEqual([
      'This list could not be saved on this device (storage full): next time without a network it will not be shown.',
      `Reason given: ${quota}.`,
    ]);
  });

  it('names a refused storage differently from a full one, and adds no empty reason', () => {
    expect(saveProblemWords({ version: 7, code: 'storage_unavailable', message: ' ' })).toEqual([
      'This list could not be saved on this device (storage refused or unavailable): next time without a network it will not be shown.',
    ]);
  });

  it('does not double the full stop of a reason that has one', () => {
    expect(saveProblemWords({ ...full(7), message: 'Error: private mode.' })[1]).toBe(
      'Reason given: Error: private mode.',
    );
  });
});
