import { Runtime } from '../shared/runtime/Runtime';
import { LoadedConfig } from '../shared/runtime/loadConfigFile';
import { openRuntime, runtimeMode } from '../shared/runtime/openRuntime';

/**
 * What every command gets: the global flags, and the runtime opened on first use (lethe.yaml and the
 * local adapters, or with LETHE_MODE=aws the stack the environment names).
 */
export class CliContext {
  private opening?: Promise<Runtime>;
  readonly mode: Runtime['mode'];

  constructor(
    readonly configPath: string,
    readonly json: boolean,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    this.mode = runtimeMode(env);
  }

  runtime(): Promise<Runtime> {
    this.opening ??= openRuntime(this.configPath, this.env);
    return this.opening;
  }

  async loadConfig(): Promise<LoadedConfig> {
    return (await this.runtime()).config;
  }

  async hmacKey(): Promise<Buffer> {
    return (await this.runtime()).hmacKey();
  }

  /** Prints the machine form with --json, else the text. */
  print(value: unknown, text: string): void {
    process.stdout.write(this.json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
  }

  async close(): Promise<void> {
    // A runtime that failed to open threw to the command that asked for it; there is nothing to close.
    const runtime = await this.opening?.catch(() => undefined);
    await runtime?.close();
  }
}
