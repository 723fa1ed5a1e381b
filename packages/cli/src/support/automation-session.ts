import type { MarketplaceConfigService } from '@cartae/plugin-admin/service';
import type { Command } from 'commander';
import { type ConnectionFlags, connect } from './control-plane-client.ts';
import { CliError, exitCodeFor } from './exit-codes.ts';
import { FleetSettingsClient } from './fleet-settings-client.ts';
import type { Output } from './output.ts';

export type Globals = () => ConnectionFlags & { output: Output };

/** What every `automation` command works with, signed in as an admin (or the service key). */
export interface AutomationSession {
  readonly output: Output;
  readonly service: MarketplaceConfigService;
  readonly fleet: FleetSettingsClient;
  /** The control plane's URL, for the questions. */
  readonly target: string;
}

/**
 * Signs in for `automation` or one of its subcommands. The connection flags sit on `automation`
 * itself (commander parses a parent's options wherever they appear), hence `optsWithGlobals`.
 */
export async function openAutomation(command: Command, globals: Globals): Promise<AutomationSession> {
  const g = globals();
  const flags = command.optsWithGlobals<ConnectionFlags>();
  const { service, supabase, target } = await connect(
    { ...g, ...flags, dataDir: g.dataDir },
    { write: true },
  );
  return { output: g.output, service, fleet: new FleetSettingsClient(supabase), target };
}

/** The value of a service answer, or the error as a `CliError` with its exit code. */
export function unwrap<T>(
  result:
    | { ok: true; value: T }
    | { ok: false; error: { kind: Parameters<typeof exitCodeFor>[0]; message: string } },
): T {
  if (!result.ok) throw new CliError(result.error.message, exitCodeFor(result.error.kind));
  return result.value;
}
