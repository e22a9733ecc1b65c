/**
 * The arrows of the architecture (DESIGN.md "Layout", STYLE.md section 1) as dependency-cruiser rules.
 * test/unit/dependencyRules.test.ts cruises the tree with this file in `npm test` and names every
 * violation; `npm run deps` prints the same. Paths are relative to the repository root.
 */

/** Logic above the ports: planning, jobs, reports, the queue, and the records they keep. */
const CORE = '^shared/(find|forget|job|report|queue|model|ports|privacy|records|concurrency)/';
/** A package, wherever node_modules resolves (worktrees link one install), or unresolved by name. */
const pkg = (names) => `(^|/)node_modules/(${names})/|^(${names})(/|$)`;
const SDKS = pkg('@aws-sdk|@smithy|@pulumi|@duckdb');
const NODE_FS = '^(node:)?fs(/promises)?$';

/** Each shared folder and the shared folders it may import (besides itself). */
const SHARED_LAYERS = {
  model: [],
  ports: ['model'],
  concurrency: ['model'],
  /** Scratch folders in the worker's temp directory (never the lake or the state store). */
  scratch: [],
  records: ['model', 'ports'],
  privacy: ['model', 'ports', 'records'],
  queue: ['model', 'ports', 'records', 'privacy'],
  duckdb: ['model', 'ports'],
  parquet: ['model'],
  rewrite: ['model', 'ports', 'privacy', 'duckdb', 'concurrency', 'parquet'],
  find: ['model', 'ports', 'records', 'privacy', 'concurrency'],
  report: ['model', 'ports', 'records', 'privacy'],
  forget: ['model', 'ports', 'records', 'privacy', 'concurrency', 'duckdb', 'rewrite', 'scratch'],
  job: ['model', 'ports', 'records', 'privacy', 'concurrency', 'queue', 'find', 'report', 'scratch'],
  environment: ['model', 'records'],
  'adapters/aws': ['model', 'ports', 'records', 'privacy', 'concurrency', 'duckdb', 'environment'],
  'adapters/local': ['model', 'ports', 'records', 'privacy', 'concurrency', 'duckdb', 'scratch'],
};

/** One forbidden arrow; every rule is an error, so `npm test` fails on it. */
const forbid = (name, comment, from, to, extra = {}) => ({ name, comment, severity: 'error', from, to, ...extra });

const layerRules = Object.entries(SHARED_LAYERS).map(([folder, allowed]) =>
  forbid(`layer-${folder.replace('/', '-')}`,
    `shared/${folder} imports only shared/{${allowed.join(', ')}}: ports and records below the logic, adapters beside it, wiring (runtime) above it.`,
    { path: `^shared/${folder}/` },
    { path: '^shared/', pathNot: [`^shared/${folder}/`, ...allowed.map((a) => `^shared/${a}/`)] }),
);

/** The composition root and the public API may import every layer. */
const WIRING = ['^shared/runtime/', '^shared/index\\.ts$'];

module.exports = {
  forbidden: [
    forbid('shared-folder-has-a-layer', 'A new shared/ folder names the layers it may import in SHARED_LAYERS above, so no folder goes unchecked.',
      { path: '^shared/', pathNot: [...Object.keys(SHARED_LAYERS).map((f) => `^shared/${f}/`), ...WIRING] },
      {}),
    forbid('no-circular', 'A cycle means two modules cannot be read, tested or moved apart.',
      {},
      { circular: true }),
    forbid('no-folder-cycles', 'Folders form layers too: job->report->job is a cycle even when no two files import each other.',
      {},
      { circular: true }, { scope: 'folder' }),
    forbid('core-no-sdk', 'Core logic reaches AWS, Pulumi and DuckDB only through the ports.',
      { path: CORE, pathNot: '^shared/forget/' },
      { path: SDKS }),
    forbid('forget-no-cloud-sdk', 'The forget worker rewrites with DuckDB but reaches S3 and SQS only through the ports.',
      { path: '^shared/forget/' },
      { path: pkg('@aws-sdk|@smithy|@pulumi') }),
    forbid('core-no-fs', 'Lake and state are read through ObjectStore and StateStore, never node:fs.',
      { path: CORE, pathNot: '^shared/forget/forgetObject\\.ts$' },
      { dependencyTypes: ['core'], path: NODE_FS }),
    forbid('forget-fs-scratch-only', 'forgetObject makes and removes its scratch folder in the worker temp directory; nothing else.',
      { path: '^shared/forget/forgetObject\\.ts$' },
      { dependencyTypes: ['core'], path: '^(node:)?fs$' }),
    forbid('aws-sdk-only-in-aws-adapters', 'An AWS SDK client is an adapter detail: ports elsewhere.',
      { path: '^(shared|tasks|console|bench|infra)/', pathNot: '^shared/adapters/aws/' },
      { path: pkg('@aws-sdk') }),
    ...layerRules,
    forbid('shared-not-entrypoints', 'shared/ is the library: it never imports the processes, the console, infra or benchmarks.',
      { path: '^shared/' },
      { path: '^(tasks|console|infra|bench|test)/' }),
    forbid('runtime-only-from-entrypoints', 'The composition root is opened by processes (tasks, console, bench) and the public API, not by logic.',
      { path: '^shared/', pathNot: WIRING },
      { path: '^shared/runtime/' }),
    forbid('adapters-only-from-runtime', 'Processes and the console take a runtime; only the composition root builds adapters (benchmarks may time one adapter alone).',
      { path: '^(tasks|console)/' },
      { path: '^shared/adapters/' }),
    forbid('no-pulumi-outside-infra', 'The tasks run without Pulumi; only the infra program declares resources.',
      { path: '^(shared|tasks|console|bench)/' },
      { path: pkg('@pulumi') }),
    forbid('infra-imports-only-contracts', 'infra writes what the tasks read: it imports the model, the environment contract and the state keys, nothing that runs.',
      { path: '^infra/' },
      { path: '^(shared|tasks|console|bench|test)/', pathNot: ['^shared/model/', '^shared/environment/', '^shared/records/stateKeys\\.ts$'] }),
    forbid('console-not-tasks', 'The console is a library the CLI serves; it takes a runtime and never reaches into tasks/.',
      { path: '^console/' },
      { path: '^(tasks|infra)/' }),
    forbid('tasks-console-through-its-command', 'Only `lethe console` opens the console.',
      { path: '^tasks/', pathNot: '^tasks/commands/consoleCommand\\.ts$' },
      { path: '^console/' }),
    forbid('no-infra-from-processes', 'Processes read the environment contract, never the Pulumi program.',
      { path: '^(tasks|bench)/' },
      { path: '^infra/' }),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
