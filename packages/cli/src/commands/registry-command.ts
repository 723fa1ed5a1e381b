import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import {
  defaultKeyId,
  generateRegistryKey,
  RegistryBuildError,
  RegistryKeyError,
  type RegistryVerification,
  readPrivateKey,
  readTrustArgument,
  type SignedRegistryFile,
  signRegistryFile,
  verifyRegistryFile,
  writeRegistry,
} from '../registry/index.ts';
import { CliError, EXIT } from '../support/exit-codes.ts';
import type { Output } from '../support/output.ts';

type Globals = () => { output: Output; repoRoot: string };

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** A key or signature file problem, as an exit code scripts can branch on. */
function keyFailure(error: unknown): never {
  if (error instanceof RegistryKeyError) {
    const code = { exists: EXIT.conflict, unreadable: EXIT.notFound, invalid: EXIT.invalid }[error.code];
    throw new CliError(error.message, code);
  }
  throw error;
}

/** `registry verify`'s exit codes: 0 valid; 7 no signature; 3 signed by no trusted key; 5 invalid or malformed. */
export const VERIFY_EXIT = {
  missing: EXIT.notFound,
  untrusted: EXIT.notAuthorised,
  invalid: EXIT.invalid,
  malformed: EXIT.invalid,
} as const;

async function signers(paths: readonly string[]) {
  return Promise.all(paths.map((p) => readPrivateKey(resolve(p))));
}

function describeSigned(signed: SignedRegistryFile): string {
  const kept = signed.kept.length > 0 ? `; kept (not checked): ${signed.kept.join(', ')}` : '';
  const what = signed.changed ? 'wrote' : 'unchanged:';
  return `✔ ${what} ${signed.signature}: version ${signed.version} signed by ${signed.signedBy.join(', ')}${kept}`;
}

function describeChecks(report: RegistryVerification): string {
  return report.signatures
    .map((c) => `  ${c.kid}: ${c.status}${c.detail ? ` (${c.detail})` : ''}`)
    .join('\n');
}

/**
 * `registry build`: registry/plugins/<id>.json → registry/registry.json (validated, deterministic),
 * signed in the same step with `--key`; `registry keygen`, `registry sign`, `registry verify`: the
 * registry's detached Ed25519 signature (`registry.json.sig`, SPEC 4.7).
 */
export function registerRegistryCommand(program: Command, globals: Globals) {
  const registry = program.command('registry').description('Work on the plugin registry');
  registry
    .command('build')
    .description('Generate registry.json from one file per plugin (plugins/<id>.json), validated')
    .option('--folder <dir>', 'the registry folder', 'registry')
    .option('--version <n>', 'registry version (default: previous + 1 when anything changed)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new InvalidArgumentError('--version must be a whole number ≥ 1');
      return n;
    })
    .option('--generated-at <iso>', 'ISO 8601 time of generation (default: now, when anything changed)')
    .option('--expires <iso>', 'ISO 8601 expiry (default: 365 days after generation)')
    .option('--key <private.jwk>', 'also sign it: write registry.json.sig (repeatable)', collect)
    .action(
      async (flags: {
        folder: string;
        version?: number;
        generatedAt?: string;
        expires?: string;
        key: string[];
      }) => {
        const g = globals();
        const folder = resolve(g.repoRoot, flags.folder);
        try {
          const keys = await signers(flags.key ?? []).catch(keyFailure);
          const built = await writeRegistry(folder, {
            ...(flags.version === undefined ? {} : { version: flags.version }),
            ...(flags.generatedAt ? { generatedAt: flags.generatedAt } : {}),
            ...(flags.expires ? { expires: flags.expires } : {}),
          });
          const signed =
            keys.length > 0 ? await signRegistryFile(built.path, keys).catch(keyFailure) : undefined;
          g.output.result(
            {
              path: built.path,
              changed: built.changed,
              version: built.document.version,
              previousVersion: built.previousVersion,
              plugins: built.pluginCount,
              ...(signed ? { signature: signed.signature, signedBy: signed.signedBy } : {}),
            },
            () => {
              const line = built.changed
                ? `✔ ${built.path}: version ${built.document.version} with ${built.pluginCount} plugins (was ${built.previousVersion ?? 'absent'})`
                : `✔ ${built.path} is up to date: version ${built.document.version}, ${built.pluginCount} plugins`;
              return signed ? `${line}\n${describeSigned(signed)}` : line;
            },
          );
          if (built.changed && !signed)
            g.output.note(
              `  if ${built.path}.sig exists it no longer matches: sign again (registry sign, or build --key)`,
            );
        } catch (error) {
          if (error instanceof RegistryBuildError) throw new CliError(error.message, EXIT.invalid);
          throw error;
        }
      },
    );

  registry
    .command('keygen')
    .description('Generate an Ed25519 registry signing key: <kid>.private.jwk (0600) and <kid>.public.json')
    .option('--out <dir>', 'where to write the key files', '.')
    .option('--kid <id>', 'key id apps know the key by (default: registry-<today>)')
    .option('--print-private', 'also print the private key (it is in the file already)')
    .action(async (flags: { out: string; kid?: string; printPrivate?: boolean }) => {
      const g = globals();
      const kid = flags.kid ?? defaultKeyId(new Date());
      const key = await generateRegistryKey(resolve(flags.out), kid).catch(keyFailure);
      g.output.result(
        {
          kid,
          publicKey: key.publicKey,
          privateKeyPath: key.privateKeyPath,
          publicKeyPath: key.publicKeyPath,
          ...(flags.printPrivate ? { privateJwk: key.privateJwk } : {}),
        },
        () =>
          [
            `✔ new registry signing key "${kid}"`,
            `  public key (ship it in the app's trustedKeys): ${JSON.stringify(key.publicKey)}`,
            `  public key file:  ${key.publicKeyPath}`,
            `  private key file: ${key.privateKeyPath} (mode 0600: keep it out of the repository)`,
            ...(flags.printPrivate ? [`  private key: ${JSON.stringify(key.privateJwk)}`] : []),
          ].join('\n'),
      );
    });

  registry
    .command('sign <registry>')
    .description("Sign registry.json's bytes: write the detached signature file served next to it")
    .option(
      '--key <private.jwk>',
      'private key to sign with (repeatable: old and new key during a rotation)',
      collect,
    )
    .option('--out <file>', 'the signature file (default: <registry>.sig)')
    .option('--fresh', "start a new signature file instead of keeping other keys' signatures")
    .action(async (registryPath: string, flags: { key?: string[]; out?: string; fresh?: boolean }) => {
      const g = globals();
      if (!flags.key?.length)
        throw new CliError('registry sign needs at least one --key <private.jwk>', EXIT.usage);
      const signed = await signers(flags.key)
        .then((keys) =>
          signRegistryFile(resolve(registryPath), keys, {
            ...(flags.out ? { out: resolve(flags.out) } : {}),
            ...(flags.fresh ? { fresh: true } : {}),
          }),
        )
        .catch(keyFailure);
      g.output.result(signed, () => describeSigned(signed));
    });

  registry
    .command('verify <registry>')
    .description('Check registry.json against its signature file and trusted public keys, as an app does')
    .option('--sig <file>', 'the signature file (default: <registry>.sig)')
    .option('--trust <key>', 'a trusted public key: a <kid>.public.json file, or kid:x (repeatable)', collect)
    .action(async (registryPath: string, flags: { sig?: string; trust?: string[] }) => {
      const g = globals();
      if (!flags.trust?.length)
        throw new CliError('registry verify needs at least one --trust <public.json|kid:x>', EXIT.usage);
      const trusted = (await Promise.all(flags.trust.map(readTrustArgument)).catch(keyFailure)).flat();
      const report = await verifyRegistryFile(resolve(registryPath), trusted, {
        ...(flags.sig ? { signature: resolve(flags.sig) } : {}),
      }).catch(keyFailure);
      if (report.reason === null) {
        g.output.result(report, () => `✔ ${report.registry}: ${report.message}\n${describeChecks(report)}`);
        return;
      }
      const exitCode = VERIFY_EXIT[report.reason];
      if (!g.output.json)
        throw new CliError(
          `${report.registry}: signature ${report.reason}: ${report.message}\n${describeChecks(report)}`,
          exitCode,
        );
      g.output.result(report, () => '');
      process.exitCode = exitCode;
    });
}
