import { loadConfigFile, LoadedConfig } from './loadConfigFile';
import { createLocalPorts, LocalPorts } from '../shared/adapters/local/createLocalPorts';
import { loadHmacKey } from '../shared/privacy/loadHmacKey';

/** What every command gets: the global flags, and the config and ports opened on first use. */
export class CliContext {
  private config?: LoadedConfig;
  private local?: LocalPorts;

  constructor(
    readonly configPath: string,
    readonly json: boolean,
  ) {}

  async loadConfig(): Promise<LoadedConfig> {
    this.config ??= await loadConfigFile(this.configPath);
    return this.config;
  }

  async ports(): Promise<LocalPorts> {
    if (!this.local) {
      const config = await this.loadConfig();
      this.local = await createLocalPorts(config.stateDir, config.settings);
    }
    return this.local;
  }

  async hmacKey(): Promise<Buffer> {
    return loadHmacKey((await this.ports()).ports.state, (await this.loadConfig()).settings);
  }

  /** Prints the machine form with --json, else the text. */
  print(value: unknown, text: string): void {
    process.stdout.write(this.json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
  }

  async close(): Promise<void> {
    await this.local?.close();
  }
}
