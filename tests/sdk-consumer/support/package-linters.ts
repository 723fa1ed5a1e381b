import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { repoRoot } from './consumer-project.ts';

/**
 * publint on a packed tarball, strict (warnings are errors) and at every level: each message it
 * has, errors, warnings and suggestions alike, as publint words it (`[warning] …`).
 */
export async function publintFindings(tarball: string): Promise<string[]> {
  const bytes = readFileSync(tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    strict: true,
    level: 'suggestion',
  });
  return messages.map(
    (message) => `[${message.type}] ${formatMessage(message, pkg, { color: false }) ?? message.code}`,
  );
}

interface AttwProblem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
  [detail: string]: unknown;
}

/**
 * Are the Types Wrong (`attw <tarball> --format json`, strict profile: node10, node16 from CJS and
 * from ESM, bundler) on a packed tarball, offline. Each problem as `Kind at ./entry (resolution)`,
 * then whatever else attw says of it (the files involved).
 */
export function attwFindings(tarball: string): string[] {
  const cli = join(repoRoot, 'node_modules/@arethetypeswrong/cli/dist/index.js');
  const r = spawnSync(process.execPath, [cli, tarball, '--format', 'json', '--no-color'], {
    encoding: 'utf8',
  });
  let report: { problems?: Record<string, AttwProblem[]> };
  try {
    report = JSON.parse(r.stdout);
  } catch {
    return [`attw did not answer JSON (exit ${r.status}): ${r.stdout}${r.stderr}`];
  }
  const problems = Object.values(report.problems ?? {}).flat();
  if (problems.length === 0 && r.status !== 0) return [`attw exited ${r.status}: ${r.stderr}`];
  return problems.map(({ kind, entrypoint, resolutionKind, ...details }) => {
    const where = entrypoint === undefined ? '' : ` at ${entrypoint}`;
    const how = resolutionKind === undefined ? '' : ` (${resolutionKind} resolution)`;
    const more = Object.keys(details).length === 0 ? '' : ` ${JSON.stringify(details)}`;
    return `${kind}${where}${how}${more}`;
  });
}
