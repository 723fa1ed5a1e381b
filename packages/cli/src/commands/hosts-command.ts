import { normaliseSourceHost } from '@cartae/marketplace-core';
import { type SourceHost, SourceHostsClient } from '@cartae/plugin-admin/service';
import type { Command } from 'commander';
import { unwrap } from '../support/automation-session.ts';
import { confirmOrCancel } from '../support/confirm.ts';
import { type ConnectionFlags, connect, withConnection } from '../support/control-plane-client.ts';
import { CliError, EXIT } from '../support/exit-codes.ts';
import type { Output } from '../support/output.ts';

type Globals = () => ConnectionFlags & { output: Output };

async function openHosts(command: Command, globals: Globals) {
  const g = globals();
  const flags = command.optsWithGlobals<ConnectionFlags>();
  const { supabase, target } = await connect({ ...g, ...flags, dataDir: g.dataDir }, { write: true });
  return { output: g.output, hosts: new SourceHostsClient(supabase), target };
}

/** The host as typed, normalised, or a usage-level refusal in the database's words. */
function hostArgument(input: string): string {
  const host = normaliseSourceHost(input);
  if (!host.ok) throw new CliError(host.error, EXIT.invalid);
  return host.value;
}

function describeHosts(hosts: readonly SourceHost[]): string {
  if (hosts.length === 0) return 'no source hosts: every config write is refused until an admin adds one';
  const width = Math.max(...hosts.map((h) => h.host.length));
  return hosts
    .map((h) =>
      [
        h.host.padEnd(width),
        h.inUse ? 'in use' : '      ',
        `added ${h.addedAt.slice(0, 10)}${h.addedByEmail ? ` by ${h.addedByEmail}` : ''}`,
        h.note ? `· ${h.note}` : '',
      ]
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `hosts`, `hosts add`, `hosts remove`: the control plane's list of source hosts (admins only). */
export function registerHostsCommand(program: Command, globals: Globals): void {
  const hosts = withConnection(
    program
      .command('hosts')
      .description("The control plane's list of source hosts: the only hosts a config may send apps to")
      .addHelpText(
        'after',
        `
Every gitUrl and cloudflareUrl a config names must have its exact host on this list; adding a
host is its own action, recorded in the alert feed. Exit codes: 0 ok · 3 not a marketplace admin ·
4 the host is in use (remove) · 5 refused · 6 unreachable · 8 not confirmed.`,
      ),
  ).action(async (_flags: unknown, command: Command) => {
    const session = await openHosts(command, globals);
    const list = unwrap(await session.hosts.list());
    session.output.result(list, () => describeHosts(list));
  });

  hosts
    .command('add <host>')
    .description('Put a host on the list (exact name: no scheme, port, path or wildcard)')
    .option('--note <text>', 'why it is there (shown in the list and the feed)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (input: string, flags: { note?: string; yes?: boolean }, command: Command) => {
      const host = hostArgument(input);
      const session = await openHosts(command, globals);
      await confirmOrCancel(
        `Add ${host} to the source hosts of ${session.target}? Admins may then point every app at it.`,
        flags.yes === true || session.output.json,
      );
      const added = unwrap(await session.hosts.add(host, flags.note));
      session.output.result({ host, added }, () =>
        added
          ? `✔ ${host} is on the list of source hosts`
          : `${host} was already on the list; nothing was written.`,
      );
    });

  hosts
    .command('remove <host>')
    .description('Take a host off the list (refused while the current config uses it)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (input: string, flags: { yes?: boolean }, command: Command) => {
      const host = hostArgument(input);
      const session = await openHosts(command, globals);
      await confirmOrCancel(
        `Remove ${host} from the source hosts of ${session.target}? Configs naming it will be refused.`,
        flags.yes === true || session.output.json,
      );
      const removed = unwrap(await session.hosts.remove(host));
      session.output.result({ host, removed }, () =>
        removed
          ? `✔ ${host} is off the list of source hosts`
          : `${host} was not on the list; nothing was written.`,
      );
    });
}
