import { en } from 'zod/locales';
import * as z from 'zod/mini';

/**
 * Plugin ids are URL- and file-safe: they become `plugins/{id}.json` and `/api/plugins/{id}`.
 * Lower-case only, so no two ids differ by case alone (they would collide on case-insensitive
 * file systems, CDN caches and a user's memory). An id a marketplace already published with
 * capitals is carried lower-cased: see {@link pluginIdFor}.
 */
export const PLUGIN_ID_PATTERN = /^[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?$/;

/**
 * The registry id for an id a marketplace already published (SPEC 3.2, "Ids"): its lower-case
 * form, or undefined when even that is not a valid id. 4 of the 6,858 real community ids have
 * capitals (`ObsidianAnkiSync` → `obsidianankisync`); the rule is the redirect, so anything that
 * still holds the published id (an install, a link) finds the entry by lower-casing it — the
 * resolver does so for `api/plugins/{id}`. Two published ids that differ only by case map to one
 * id and are refused (`pluginIdsFor`).
 *
 * @example
 * pluginIdFor('DEVONlink-obsidian'); // 'devonlink-obsidian'
 */
export function pluginIdFor(publishedId: string): string | undefined {
  const id = publishedId.toLowerCase();
  return PLUGIN_ID_PATTERN.test(id) ? id : undefined;
}

/**
 * Registry ids for a marketplace's published ids, by {@link pluginIdFor}, or the published ids
 * that cannot be carried: invalid even lower-cased, or the same as another but for case.
 *
 * @example
 * pluginIdsFor(['ObsidianAnkiSync', 'obsidian-git']);
 * // { ok: true, ids: Map { 'ObsidianAnkiSync' => 'obsidianankisync', 'obsidian-git' => 'obsidian-git' } }
 */
export function pluginIdsFor(
  published: readonly string[],
):
  | { readonly ok: true; readonly ids: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly refused: readonly { readonly id: string; readonly reason: string }[] } {
  const ids = new Map<string, string>();
  const owner = new Map<string, string>();
  const refused: { id: string; reason: string }[] = [];
  for (const id of published) {
    const mapped = pluginIdFor(id);
    if (mapped === undefined) {
      refused.push({ id, reason: 'not a valid id even lower-cased' });
      continue;
    }
    const other = owner.get(mapped);
    if (other !== undefined) {
      refused.push({ id, reason: `same id as "${other}" ignoring case ("${mapped}")` });
      continue;
    }
    owner.set(mapped, id);
    ids.set(id, mapped);
  }
  return refused.length > 0 ? { ok: false, refused } : { ok: true, ids };
}
export const SEMVER_PATTERN = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
export const SHA256_PATTERN = /^[a-f0-9]{64}$/;

/** Bounds of a plugin entry's fields, read by the schema and by the fast path (registry-fast-path.ts). */
export const PLUGIN_FIELD_LIMITS = {
  name: { min: 1, max: 200 },
  description: { max: 4000 },
  author: { min: 1, max: 200 },
  downloadUrl: { max: 2048 },
  tags: { max: 32, tag: { min: 1, max: 50 } },
} as const;

export const REGISTRY_LIMITS = {
  maxPlugins: 20_000,
  maxBytes: 16 * 1024 * 1024,
} as const;

// zod/mini carries no messages of its own: English, as zod's classic API gives them (see config-schema.ts).
z.config(en());

export const isoDateSchema = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

/** One plugin entry of the registry (SPEC 3.2). Unknown fields are ignored. */
export const pluginEntrySchema = z.object({
  id: z
    .string()
    .check(
      z.regex(
        PLUGIN_ID_PATTERN,
        'id must be lowercase letters, digits, ".", "_" or "-" (an id published with capitals is carried lower-cased)',
      ),
    ),
  name: z
    .string()
    .check(z.minLength(PLUGIN_FIELD_LIMITS.name.min), z.maxLength(PLUGIN_FIELD_LIMITS.name.max)),
  version: z.string().check(z.regex(SEMVER_PATTERN, 'version must be semantic (1.2.3)')),
  description: z.string().check(z.maxLength(PLUGIN_FIELD_LIMITS.description.max)),
  author: z
    .string()
    .check(z.minLength(PLUGIN_FIELD_LIMITS.author.min), z.maxLength(PLUGIN_FIELD_LIMITS.author.max)),
  downloadUrl: z.string().check(z.maxLength(PLUGIN_FIELD_LIMITS.downloadUrl.max)),
  sha256: z.string().check(z.regex(SHA256_PATTERN, 'sha256 must be 64 lowercase hex digits')),
  minAppVersion: z.string().check(z.regex(SEMVER_PATTERN, 'minAppVersion must be semantic (1.2.3)')),
  tags: z._default(
    z
      .array(
        z
          .string()
          .check(
            z.minLength(PLUGIN_FIELD_LIMITS.tags.tag.min),
            z.maxLength(PLUGIN_FIELD_LIMITS.tags.tag.max),
          ),
      )
      .check(z.maxLength(PLUGIN_FIELD_LIMITS.tags.max)),
    [],
  ),
});

/** The registry document both sources serve byte for byte (SPEC 3.2). */
export const registryDocumentSchema = z.object({
  schemaVersion: z._default(z.literal(1), 1),
  version: z.int().check(z.gte(1, 'version must be a positive integer')),
  generatedAt: isoDateSchema,
  expires: isoDateSchema,
  plugins: z.array(pluginEntrySchema).check(z.maxLength(REGISTRY_LIMITS.maxPlugins)),
});

export type PluginEntry = z.infer<typeof pluginEntrySchema>;
export type RegistryDocument = z.infer<typeof registryDocumentSchema>;
