import { loadConfigFile, LoadedConfig } from './loadConfigFile';
import { createLocalPorts } from '../shared/adapters/local/createLocalPorts';
import { AwsPorts, createAwsPorts } from '../shared/adapters/aws/createAwsPorts';
import { readStoredConfig } from '../shared/adapters/aws/readStoredConfig';
import { Ports } from '../shared/ports/Ports';
import { loadHmacKey } from '../shared/privacy/loadHmacKey';

export interface OpenPorts {
  ports: Ports;
  close(): Promise<void>;
  /** Set in aws mode: jobs run in the ECS find task, not in this process. */
  aws?: AwsPorts;
}

/**
 * What every command gets: the global flags, and the config and ports opened on first use. With
 * LETHE_MODE=aws the ports are the stack's (from the environment) and the config is the one the
 * Pulumi program wrote to the state bucket; otherwise lethe.yaml and the local adapters.
 */
export class CliContext {
  private config?: LoadedConfig;
  private opened?: OpenPorts;
  readonly mode: 'local' | 'aws';

  constructor(
    readonly configPath: string,
    readonly json: boolean,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    this.mode = env.LETHE_MODE === 'aws' ? 'aws' : 'local';
  }

  async loadConfig(): Promise<LoadedConfig> {
    if (!this.config) this.config = this.mode === 'aws' ? await this.loadStackConfig() : await loadConfigFile(this.configPath);
    return this.config;
  }

  async ports(): Promise<OpenPorts> {
    if (!this.opened) this.opened = this.mode === 'aws' ? await this.openAwsPorts() : await this.openLocalPorts();
    return this.opened;
  }

  async hmacKey(): Promise<Buffer> {
    return loadHmacKey((await this.ports()).ports.state, (await this.loadConfig()).settings);
  }

  /** Prints the machine form with --json, else the text. */
  print(value: unknown, text: string): void {
    process.stdout.write(this.json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
  }

  async close(): Promise<void> {
    await this.opened?.close();
  }

  private async openLocalPorts(): Promise<OpenPorts> {
    const config = await this.loadConfig();
    return createLocalPorts(config.stateDir, config.settings);
  }

  /** The CLI only reads and writes state here; the find task and the workers run the DuckDB work. */
  private async openAwsPorts(): Promise<OpenPorts> {
    const aws = createAwsPorts(this.env);
    return { ports: aws, aws, close: () => aws.queries.close() };
  }

  private async loadStackConfig(): Promise<LoadedConfig> {
    const { ports, aws } = await this.ports();
    const key = aws!.config.configKey;
    const config = await readStoredConfig(ports.state, key);
    return { ...config, stateDir: ports.state.describe(''), configPath: ports.state.describe(key) };
  }
}
