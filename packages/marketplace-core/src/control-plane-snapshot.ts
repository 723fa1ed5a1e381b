import { MarketplaceError } from './marketplace-error.ts';
import { err, ok, type Result } from './result.ts';
import { isPlainObject } from './zod-issues.ts';

/** The marketplace config as the control plane hands it out, before the resolver reads it. */
export interface ConfigSnapshot {
  /** The raw `marketplace_source` document; read it with `readMarketplaceConfig`. */
  readonly document: unknown;
  readonly version?: number;
  readonly updatedAt?: string;
}

/**
 * The one reader of the control plane's config wire formats:
 * - `get_marketplace_config()` over Supabase RPC: `{ config_value | config, version, updated_at }`,
 *   or a one-row array of it (set-returning functions come back as arrays);
 * - the Worker's `GET /api/config`: `{ config, version, updatedAt }`.
 *
 * @example
 * parseControlPlaneSnapshot([{ config_value: { type: 'git' }, version: 3, updated_at: '…' }]);
 * // { ok: true, value: { document: { type: 'git' }, version: 3, updatedAt: '…' } }
 */
export function parseControlPlaneSnapshot(json: unknown): Result<ConfigSnapshot, MarketplaceError> {
  const row = Array.isArray(json) && json.length === 1 ? json[0] : json;
  if (!isPlainObject(row)) {
    return err(new MarketplaceError('config_invalid', 'control plane answered without a config object'));
  }
  const document = row.config_value ?? row.config ?? row.configValue;
  if (document === undefined) {
    return err(
      new MarketplaceError('config_invalid', 'control plane answer has no "config" or "config_value" field'),
    );
  }
  const version =
    typeof row.version === 'number'
      ? row.version
      : typeof row.version === 'string' && /^\d+$/.test(row.version)
        ? Number(row.version)
        : undefined;
  const rawUpdated = row.updated_at ?? row.updatedAt;
  const updatedAt = typeof rawUpdated === 'string' ? rawUpdated : undefined;
  return ok({
    document,
    ...(version === undefined ? {} : { version }),
    ...(updatedAt === undefined ? {} : { updatedAt }),
  });
}
