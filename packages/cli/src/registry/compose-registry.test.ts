import { describe, expect, it } from 'vitest';
import { composeRegistry, DEFAULT_VALIDITY_DAYS, type PluginSource } from './compose-registry.ts';
import { RegistryBuildError } from './registry-build-error.ts';
import { samplePlugin } from './test-plugins.ts';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');
const sources = (...ids: string[]): PluginSource[] =>
  ids.map((id) => ({ file: `plugins/${id}.json`, entry: samplePlugin(id) }));

function thrown(run: () => unknown): RegistryBuildError {
  try {
    run();
  } catch (error) {
    if (error instanceof RegistryBuildError) return error;
    throw error;
  }
  throw new Error('expected a RegistryBuildError');
}

describe('composeRegistry', () => {
  it('sorts plugins by id and starts at version 1 with now and a one-year validity', () => {
    const built = composeRegistry({ plugins: sources('zeta', 'alpha', 'mid'), now: NOW });
    expect(built.document.plugins.map((p) => p.id)).toEqual(['alpha', 'mid', 'zeta']);
    expect(built.document).toMatchObject({
      schemaVersion: 1,
      version: 1,
      generatedAt: '2026-06-01T12:00:00.000Z',
    });
    expect(Date.parse(built.document.expires) - NOW).toBe(DEFAULT_VALIDITY_DAYS * 86_400_000);
    expect(built).toMatchObject({ changed: true, previousVersion: undefined });
  });

  it('writes 2-space JSON with a trailing newline, and the same inputs give the same bytes', () => {
    const a = composeRegistry({ plugins: sources('b', 'a'), now: NOW });
    const b = composeRegistry({ plugins: sources('a', 'b'), now: NOW });
    expect(a.text).toBe(b.text);
    expect(a.text.endsWith('}\n')).toBe(true);
    expect(a.text).toContain('\n  "plugins": [\n    {\n      "id": "a"');
    expect(JSON.parse(a.text)).toEqual(a.document);
  });

  it('keeps version, dates and bytes when nothing changed', () => {
    const first = composeRegistry({ plugins: sources('a', 'b'), now: NOW });
    const again = composeRegistry({
      plugins: sources('b', 'a'),
      previous: { text: first.text, document: first.document },
      now: NOW + 86_400_000,
    });
    expect(again).toMatchObject({ changed: false, previousVersion: 1, text: first.text });
  });

  it('moves the version forward by one, with a new generatedAt, when the content changed', () => {
    const first = composeRegistry({ plugins: sources('a'), now: NOW });
    const next = composeRegistry({
      plugins: sources('a', 'b'),
      previous: { text: first.text, document: first.document },
      now: NOW + 1000,
    });
    expect(next.document.version).toBe(2);
    expect(next.document.generatedAt).toBe(new Date(NOW + 1000).toISOString());
    expect(next).toMatchObject({ changed: true, previousVersion: 1 });
  });

  it('treats a byte-level difference in registry.json (hand edit, reformat) as a change', () => {
    const first = composeRegistry({ plugins: sources('a'), now: NOW });
    const next = composeRegistry({
      plugins: sources('a'),
      previous: { text: JSON.stringify(first.document), document: first.document },
      now: NOW,
    });
    expect(next.document.version).toBe(2);
  });

  it('uses the version, generatedAt and expires given', () => {
    const built = composeRegistry({
      plugins: sources('a'),
      options: { version: 42, generatedAt: '2026-01-01T00:00:00.000Z', expires: '2030-01-01T00:00:00.000Z' },
      now: NOW,
    });
    expect(built.document).toMatchObject({
      version: 42,
      generatedAt: '2026-01-01T00:00:00.000Z',
      expires: '2030-01-01T00:00:00.000Z',
    });
  });

  it('a new expires is a change: the version moves forward', () => {
    const first = composeRegistry({ plugins: sources('a'), now: NOW });
    const next = composeRegistry({
      plugins: sources('a'),
      previous: { text: first.text, document: first.document },
      options: { expires: '2035-01-01T00:00:00.000Z' },
      now: NOW,
    });
    expect(next.document).toMatchObject({ version: 2, expires: '2035-01-01T00:00:00.000Z' });
  });

  it('refuses a version that does not go above the previous one when the content changed', () => {
    const first = composeRegistry({ plugins: sources('a'), options: { version: 5 }, now: NOW });
    const previous = { text: first.text, document: first.document };
    for (const version of [5, 4]) {
      const error = thrown(() =>
        composeRegistry({ plugins: sources('a', 'b'), previous, options: { version }, now: NOW }),
      );
      expect(error.code).toBe('version_not_increasing');
      expect(error.message).toMatch(/not above the previous version 5/);
    }
  });

  it('refuses duplicate ids, naming every file involved', () => {
    const error = thrown(() =>
      composeRegistry({
        plugins: [
          { file: 'plugins/a.json', entry: samplePlugin('a') },
          { file: 'plugins/copy-of-a.json', entry: samplePlugin('a') },
        ],
        now: NOW,
      }),
    );
    expect(error.code).toBe('plugin_duplicate');
    expect(error.issues.map((i) => i.file)).toEqual(['plugins/a.json', 'plugins/copy-of-a.json']);
    expect(error.message).toContain(
      'plugins/a.json: id: duplicate plugin id "a" (also in plugins/copy-of-a.json)',
    );
  });

  it.each([
    [{ version: 0 }, 'version'],
    [{ version: 1.5 }, 'version'],
    [{ generatedAt: 'yesterday' }, 'generatedAt'],
    [{ expires: '2030-13-01' }, 'expires'],
  ])('refuses invalid options %j', (options, field) => {
    const error = thrown(() => composeRegistry({ plugins: sources('a'), options, now: NOW }));
    expect(error).toMatchObject({ code: 'options_invalid', issues: [{ field }] });
  });

  it('refuses an expiry that is not after generatedAt', () => {
    const error = thrown(() =>
      composeRegistry({
        plugins: sources('a'),
        options: { generatedAt: '2026-01-01T00:00:00.000Z', expires: '2025-01-01T00:00:00.000Z' },
        now: NOW,
      }),
    );
    expect(error.code).toBe('options_invalid');
  });

  it('allows an empty registry', () => {
    expect(composeRegistry({ plugins: [], now: NOW }).document.plugins).toEqual([]);
  });

  it('serialises its errors to JSON with code and issues', () => {
    const error = thrown(() =>
      composeRegistry({ plugins: sources('a'), options: { version: -1 }, now: NOW }),
    );
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: 'RegistryBuildError',
      code: 'options_invalid',
      issues: [{ file: '(options)', field: 'version' }],
    });
  });
});
