import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** A moto_server on a free loopback port, with the AWS SDK environment pointed at it. */
export interface MotoServer {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  region: string;
  /** Queues canned Athena results: moto does not run SQL. Each entry answers one query, in start order. */
  queueAthenaResults(results: AthenaCannedResult[]): Promise<void>;
  /** Makes moto's managed state (e.g. `athena::execution`) advance only every `times` reads. */
  setTransition(modelName: string, times: number): Promise<void>;
  /** Stops moto and restores the environment it changed. */
  stop(): Promise<void>;
}

export interface AthenaCannedResult {
  /** Each row is a list of cell values; the first row is the header, as Athena returns it. */
  rows: string[][];
  columns: string[];
}

const SDK_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: undefined,
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_PROFILE: undefined,
  AWS_EC2_METADATA_DISABLED: 'true',
} as const;

/**
 * Starts moto_server and sets AWS_ENDPOINT_URL and dummy credentials for the SDK. Fails with a clear
 * message when moto_server is not installed: these tests prove the wire protocol and must never be
 * skipped silently.
 */
export async function startMotoServer(): Promise<MotoServer> {
  const which = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  if (which.status !== 0 || which.stdout.trim() === '') {
    throw new Error('moto_server is not on PATH: install it (pip install "moto[server]") to run the integration tests');
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    await waitUntilAnswering(endpoint, child, () => stderr);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const saved = new Map<string, string | undefined>();
  const setEnv = (name: string, value: string | undefined) => {
    if (!saved.has(name)) saved.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  for (const [name, value] of Object.entries(SDK_ENV)) setEnv(name, value);
  setEnv('AWS_ENDPOINT_URL', endpoint);
  return {
    endpoint,
    region: SDK_ENV.AWS_REGION,
    async queueAthenaResults(results) {
      const body = {
        region: SDK_ENV.AWS_REGION,
        results: results.map((r) => ({
          rows: r.rows.map((cells) => ({ Data: cells.map((value) => ({ VarCharValue: value })) })),
          column_info: r.columns.map((name) => ({ Name: name, Label: name, Type: 'varchar', Nullable: 'UNKNOWN', CaseSensitive: true })),
        })),
      };
      await postJson(`${endpoint}/moto-api/static/athena/query-results`, body);
    },
    async setTransition(modelName, times) {
      await postJson(`${endpoint}/moto-api/state-manager/set-transition`, { model_name: modelName, transition: { progression: 'manual', times } });
    },
    async stop() {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await stopChild(child);
    },
  };
}

async function postJson(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (!response.ok) throw new Error(`moto_server ${url}: HTTP ${response.status} ${await response.text()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free loopback port'))));
    });
  });
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}: ${stderr()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within 30 s: ${stderr()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
