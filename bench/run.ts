import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { closeDuckDb, openDuckDb } from '../shared/duckdb/openDuckDb';
import { CaseResult } from './cases/caseResult';
import { enqueueMillionIds } from './cases/enqueueMillionIds';
import { findInLake } from './cases/findInLake';
import { rewriteBeyondMemoryLimit } from './cases/rewriteBeyondMemoryLimit';
import { rewriteLargeParquet } from './cases/rewriteLargeParquet';
import { queueSize } from './cases/queueSize';
import { smallObjects } from './cases/smallObjects';
import { spliceOneMatch } from './cases/spliceOneMatch';
import { wholeLocalJob } from './cases/wholeLocalJob';
import { BenchData, SIZES, ensureBenchData } from './generateBenchData';
import { renderChart } from './renderChart';

/** bench/ in the source tree: this file runs from dist/bench/. */
const BENCH_DIR = path.resolve(__dirname, '..', '..', 'bench');

const CASES: { id: string; rounds: { quick: number; full: number }; run: (data: BenchData, rounds: number, scratch: string) => Promise<CaseResult | CaseResult[]> }[] = [
  { id: 'rewriteLargeParquet', rounds: { quick: 3, full: 3 }, run: rewriteLargeParquet },
  { id: 'rewriteBeyondMemoryLimit', rounds: { quick: 1, full: 1 }, run: rewriteBeyondMemoryLimit },
  { id: 'findInLake', rounds: { quick: 3, full: 3 }, run: findInLake },
  { id: 'enqueueMillionIds', rounds: { quick: 3, full: 3 }, run: enqueueMillionIds },
  { id: 'wholeLocalJob', rounds: { quick: 1, full: 2 }, run: wholeLocalJob },
  { id: 'spliceOneMatch', rounds: { quick: 2, full: 3 }, run: spliceOneMatch },
  { id: 'smallObjects', rounds: { quick: 1, full: 2 }, run: smallObjects },
  { id: 'queueSize', rounds: { quick: 1, full: 1 }, run: queueSize },
];

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { quick: { type: 'boolean', default: false }, only: { type: 'string', multiple: true, default: [] } } });
  const sizes = values.quick ? SIZES.quick : SIZES.full;
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const dataRoot = path.join(BENCH_DIR, 'data');
  const scratch = path.join(dataRoot, 'scratch');
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  const started = Date.now();
  const loadSamples = [os.loadavg()[0]!];
  try {
    const generator = await openDuckDb({ memoryLimit: '2GB', threads: 0, tempDirectory: path.join(scratch, 'generate') });
    let data: BenchData;
    try {
      data = await ensureBenchData(generator.connection, dataRoot, sizes, log);
    } finally {
      closeDuckDb(generator);
    }
    const results: CaseResult[] = [];
    for (const benchCase of CASES) {
      if (values.only.length > 0 && !values.only.includes(benchCase.id)) continue;
      log(`running ${benchCase.id}`);
      loadSamples.push(os.loadavg()[0]!);
      for (const result of [await benchCase.run(data, benchCase.rounds[sizes.mode], scratch)].flat()) {
        log(`${result.id}: lethe ${format(result.lethe.median)} ${result.unit}${result.baseline ? `, baseline ${format(result.baseline.median)} ${result.unit}` : ''}`);
        results.push(result);
      }
    }
    loadSamples.push(os.loadavg()[0]!);
    const environment = describeEnvironment(sizes.mode, (Date.now() - started) / 1000, loadSamples);
    const table = renderTable(results);
    process.stdout.write(`${table}\n`);
    process.stdout.write(`${JSON.stringify({ environment, results })}\n`);
    if (values.only.length === 0) {
      await writeFile(path.join(BENCH_DIR, 'RESULTS.md'), renderResults(environment, table, results));
      await writeFile(path.join(BENCH_DIR, 'results.svg'), renderChart(results, `lethe against baseline per case (${environment.mode} mode, ${environment.date.slice(0, 10)})`));
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

interface Environment {
  mode: string;
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  node: string;
  duckdb: string;
  totalSeconds: number;
  /** The 1-minute load average when the run started and the highest seen between cases: a quiet 2-core machine stays under ~2. */
  loadAverage: { atStart: number; highest: number };
}

function describeEnvironment(mode: string, totalSeconds: number, loadSamples: readonly number[]): Environment {
  const cpus = os.cpus();
  const duckdbVersion = (require('@duckdb/node-api/package.json') as { version: string }).version;
  return {
    mode,
    date: new Date().toISOString(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    duckdb: duckdbVersion,
    totalSeconds: Math.round(totalSeconds),
    loadAverage: { atStart: round1(loadSamples[0]!), highest: round1(Math.max(...loadSamples)) },
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function renderTable(results: readonly CaseResult[]): string {
  const header = ['case', 'lethe', 'baseline', 'ratio', 'goal', 'met', 'notes'];
  const rows = results.map((r) => [
    r.title,
    `${format(r.lethe.median)} ${r.unit}`,
    r.baseline ? `${format(r.baseline.median)} ${r.unit} (${r.baselineName ?? ''})` : '-',
    r.ratio === undefined ? '-' : format(r.ratio),
    r.goal,
    r.met === undefined ? '-' : r.met ? 'yes' : 'NO',
    notes(r),
  ]);
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function notes(result: CaseResult): string {
  const f = result.figures;
  switch (result.id) {
    case 'rewriteLargeParquet':
      return `${format(Number(f.letheMBps))} MB/s vs ${format(Number(f.baselineMBps))} MB/s`;
    case 'rewriteBeyondMemoryLimit':
      return `limit ${f.memoryLimitMB} MB; max peak ${format(Number(f.letheMaxPeakMB))} MB; ${format(Number(f.letheSeconds))} s vs ${format(Number(f.baselineSeconds))} s`;
    case 'enqueueMillionIds':
      return `${Math.round(Number(f.idsPerSecond)).toLocaleString('en')} IDs/s`;
    case 'spliceOneMatch':
      return `${f.rowGroupsCopied} of ${f.rowGroups} row groups kept byte for byte`;
    case 'smallObjects':
      return `${format(Number(f.letheMsPerObject))} ms vs ${format(Number(f.baselineMsPerObject))} ms per object`;
    case 'wholeLocalJob':
      return `${format(Number(f.lakeMBps))} MB/s, ${format(Number(f.lakeMBpsPerCore))} MB/s per core (${f.cores} cores), ${format(Number(f.lakeMBPerCpuSecond))} MB per CPU-second`;
    default:
      return result.id.startsWith('queueSize') ? `peak RSS ${format(Number(f.lethePeakMB))} MB vs ${format(Number(f.scriptPeakMB))} MB` : '';
  }
}

function renderResults(environment: Environment, table: string, results: readonly CaseResult[]): string {
  return `# lethe benchmark results

Produced by \`npm run bench${environment.mode === 'quick' ? ' -- --quick' : ''}\` (${environment.mode} mode) on ${environment.date}:
${environment.cpus} x ${environment.cpuModel}, ${environment.memoryGB} GB RAM, node ${environment.node}, @duckdb/node-api ${environment.duckdb};
${environment.totalSeconds} s in all. The 1-minute load average was ${environment.loadAverage.atStart} at the start and at most
${environment.loadAverage.highest} between cases, on ${environment.cpus} cores: a figure well above the core count means other work
shared the machine and absolute times are noisy.
lethe and its baseline run alternately in the same process on the same data, and each ratio is the
median over rounds of that round's lethe/baseline. Times are medians of the runs listed in the JSON
line below. What bounds each figure: bench/README.md.

${table}

![lethe against baseline per case](results.svg)

Every figure, as the run printed it:

\`\`\`json
${JSON.stringify({ environment, results })}
\`\`\`
`;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
