import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';

/** One measured figure next to its target. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  target: string;
  pass: boolean;
  detail?: string;
}

const resultsDir = new URL('../results/', import.meta.url).pathname;

/** Writes `bench/results/<name>.json` and `<name>.md` (a markdown table) and prints the table. */
export async function writeResults(name: string, title: string, figures: BenchFigure[]): Promise<void> {
  await mkdir(resultsDir, { recursive: true });
  const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' };
  const at = new Date().toISOString();
  await writeFile(
    join(resultsDir, `${name}.json`),
    `${JSON.stringify({ title, at, machine, figures }, null, 2)}\n`,
  );
  const rows = figures.map(
    (f) =>
      `| ${f.name} | ${formatValue(f.value)} ${f.unit} | ${f.target} | ${f.pass ? '✅' : '❌'} | ${f.detail ?? ''} |`,
  );
  const table = [
    `# ${title}`,
    '',
    `${at} · Node ${machine.node} · ${machine.cpus} cores · ${machine.cpu}`,
    '',
    '| measure | result | target | met | detail |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  await writeFile(join(resultsDir, `${name}.md`), table);
  console.log(`\n${table}`);
}

function formatValue(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
