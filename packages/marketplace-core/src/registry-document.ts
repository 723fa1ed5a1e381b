import { z } from 'zod';

/** Plugin ids are URL- and file-safe: they become `plugins/{id}.json` and `/api/plugins/{id}`. */
export const PLUGIN_ID_PATTERN = /^[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?$/;
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export const REGISTRY_LIMITS = {
  maxPlugins: 20_000,
  maxBytes: 16 * 1024 * 1024,
} as const;

const isoDate = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

/** One plugin entry of the registry (SPEC 3.2). Unknown fields are ignored. */
export const pluginEntrySchema = z.object({
  id: z.string().regex(PLUGIN_ID_PATTERN, 'id must be lowercase letters, digits, ".", "_" or "-"'),
  name: z.string().min(1).max(200),
  version: z.string().regex(SEMVER, 'version must be semantic (1.2.3)'),
  description: z.string().max(4000),
  author: z.string().min(1).max(200),
  downloadUrl: z.string().max(2048),
  sha256: z.string().regex(/^[a-f0-9]{64}$/, 'sha256 must be 64 lowercase hex digits'),
  minAppVersion: z.string().regex(SEMVER, 'minAppVersion must be semantic (1.2.3)'),
  tags: z.array(z.string().min(1).max(50)).max(32).default([]),
});

/** The registry document both sources serve byte for byte (SPEC 3.2). */
export const registryDocumentSchema = z.object({
  schemaVersion: z.literal(1).default(1),
  version: z.int().min(1, 'version must be a positive integer'),
  generatedAt: isoDate,
  expires: isoDate,
  plugins: z.array(pluginEntrySchema).max(REGISTRY_LIMITS.maxPlugins),
});

export type PluginEntry = z.infer<typeof pluginEntrySchema>;
export type RegistryDocument = z.infer<typeof registryDocumentSchema>;
