import { describe, expect, it } from 'vitest';
import { readPluginFile } from './plugin-file.ts';
import { samplePlugin } from './test-plugins.ts';

const text = (value: unknown) => JSON.stringify(value);

describe('readPluginFile', () => {
  it('accepts a valid entry and returns its fields in schema order', () => {
    const { tags, ...rest } = samplePlugin('kanban');
    const result = readPluginFile('plugins/kanban.json', text({ tags, ...rest }));
    expect(result.ok).toBe(true);
    if (result.ok) expect(Object.keys(result.value)[0]).toBe('id');
  });

  it('fills tags with [] when absent', () => {
    const { tags: _tags, ...rest } = samplePlugin('kanban');
    const result = readPluginFile('plugins/kanban.json', text(rest));
    expect(result).toMatchObject({ ok: true, value: { tags: [] } });
  });

  it('names the file when the JSON does not parse', () => {
    const result = readPluginFile('plugins/kanban.json', '{ "id": ');
    expect(result).toMatchObject({ ok: false, error: [{ file: 'plugins/kanban.json', field: '' }] });
    if (!result.ok) expect(result.error[0]?.message).toMatch(/not valid JSON/);
  });

  it.each([
    ['sha256', { sha256: 'XYZ' }, /64 lowercase hex/],
    ['version', { version: 'one' }, /semantic/],
    ['minAppVersion', { minAppVersion: '1' }, /semantic/],
    ['name', { name: '' }, /.+/],
    ['tags.0', { tags: [''] }, /.+/],
  ])('names the field %s when it is invalid', (field, override, message) => {
    const result = readPluginFile('plugins/kanban.json', text(samplePlugin('kanban', override as object)));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContainEqual({
        file: 'plugins/kanban.json',
        field,
        message: expect.stringMatching(message),
      });
    }
  });

  it('reports a missing required field by name', () => {
    const { author: _author, ...rest } = samplePlugin('kanban');
    const result = readPluginFile('plugins/kanban.json', text(rest));
    expect(result).toMatchObject({ ok: false, error: [{ field: 'author' }] });
  });

  it('refuses unknown fields (usually a typo of a real one)', () => {
    const result = readPluginFile(
      'plugins/kanban.json',
      text({ ...samplePlugin('kanban'), minAppversion: '1.0.0' }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error[0]?.message).toMatch(/minAppversion/);
  });

  it('refuses a download URL that is not https', () => {
    const result = readPluginFile(
      'plugins/kanban.json',
      text(samplePlugin('kanban', { downloadUrl: 'http://example.com/kanban.zip' })),
    );
    expect(result).toMatchObject({ ok: false, error: [{ field: 'downloadUrl' }] });
  });

  it('requires the id to match the file name (the Git route plugins/{id}.json depends on it)', () => {
    const result = readPluginFile('plugins/kanban-board.json', text(samplePlugin('kanban')));
    expect(result).toMatchObject({ ok: false, error: [{ file: 'plugins/kanban-board.json', field: 'id' }] });
    if (!result.ok) expect(result.error[0]?.message).toMatch(/rename the file to kanban\.json/);
  });
});
