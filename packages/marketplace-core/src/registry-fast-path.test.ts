import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../tests/fixtures/registry-builder.ts';
import { registryDocumentSchema } from './registry-document.ts';
import { parseRegistryFast } from './registry-fast-path.ts';

/** What the schema says of a value: its output, or that it refuses it. */
function bySchema(value: unknown) {
  const parsed = registryDocumentSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Values near the edges of every rule: valid ones, and each field broken in the ways that matter. */
const fieldValue = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom(
    '',
    'a',
    'plugin-1',
    'Plugin',
    '1.0.0',
    '1.0',
    '1.0.0-beta.1+b',
    'a'.repeat(64),
    'f'.repeat(64),
  ),
  fc.constantFrom('x'.repeat(200), 'x'.repeat(201), 'x'.repeat(4000), 'x'.repeat(4001), 'x'.repeat(2049)),
  fc.integer(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
);
const FIELDS = [
  'id',
  'name',
  'version',
  'description',
  'author',
  'downloadUrl',
  'sha256',
  'minAppVersion',
  'tags',
];

describe('parseRegistryFast', () => {
  it('gives exactly what the schema gives for a valid registry', () => {
    const registry = { ...buildRegistry({ plugins: 50 }), extra: 'dropped' };
    expect(parseRegistryFast(registry)).toEqual(bySchema(registry));
    expect(parseRegistryFast(registry)).toBeDefined();
  });

  it('accepts exactly what the schema accepts, with the same output (property)', () => {
    const base = buildRegistry({ plugins: 2 });
    fc.assert(
      fc.property(
        fc.constantFrom(...FIELDS),
        fieldValue,
        fc.constantFrom('plugin', 'version', 'generatedAt', 'schemaVersion', 'plugins'),
        fc.oneof(fc.integer(), fc.constant('2026-01-01T00:00:00Z'), fc.constant('nope'), fc.constant(1.5)),
        (field, value, top, topValue) => {
          const plugin: Record<string, unknown> = { ...base.plugins[0], [field]: value };
          if (value === undefined) delete plugin[field];
          const doc: Record<string, unknown> = { ...base, plugins: [plugin, base.plugins[1]] };
          if (top !== 'plugin') doc[top] = top === 'plugins' ? [plugin] : topValue;
          const fast = parseRegistryFast(doc);
          const schema = bySchema(doc);
          // Never accepts what the schema refuses, never declines what it accepts, same output.
          if (fast !== undefined) expect(fast).toEqual(schema);
          else if (schema !== undefined)
            expect.unreachable(`declined a valid document: ${field}=${String(value)}`);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
