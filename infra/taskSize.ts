import { InputError } from '../shared/model/errors';
import { memorySizeMiB } from '../shared/model/settings';

export interface TaskSize {
  /** CPU units (1024 = 1 vCPU). */
  cpu: number;
  /** MiB. */
  memory: number;
}

/** Fargate's CPU sizes and the memory each allows, ascending (AWS ECS task size table). */
const FARGATE_SIZES: ReadonlyArray<{ cpu: number; memory: readonly number[] }> = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: steps(1024, 4096, 1024) },
  { cpu: 1024, memory: steps(2048, 8192, 1024) },
  { cpu: 2048, memory: steps(4096, 16384, 1024) },
  { cpu: 4096, memory: steps(8192, 30720, 1024) },
  { cpu: 8192, memory: steps(16384, 61440, 4096) },
  { cpu: 16384, memory: steps(32768, 122880, 8192) },
];

function steps(from: number, to: number, by: number): number[] {
  return Array.from({ length: (to - from) / by + 1 }, (_, i) => from + i * by);
}

/** The smallest Fargate size with at least `cpu` units and `memory` MiB. */
export function fargateSizeFor(need: TaskSize): TaskSize {
  for (const size of FARGATE_SIZES) {
    if (size.cpu < need.cpu) continue;
    const memory = size.memory.find((m) => m >= need.memory);
    if (memory !== undefined) return { cpu: size.cpu, memory };
  }
  throw new InputError(`no Fargate task size has ${need.cpu} CPU units and ${need.memory} MiB; lower forgetConcurrency or duckdbMemoryLimit`);
}

/** "1GB", "512MB", "1.5GiB" -> MiB, rounded up. */
export function memoryLimitMiB(text: string): number {
  const mib = memorySizeMiB(text);
  if (mib === undefined) throw new InputError(`duckdbMemoryLimit: "${text}" is not a size like 512MB or 2GB`);
  return mib;
}

/** Node, the SDK and DuckDB's own bookkeeping beside the rewrites' memory limit. */
export const WORKER_OVERHEAD_MIB = 512;
/** CPU units one concurrent rewrite gets: DuckDB is CPU-bound on decode and encode. */
export const CPU_PER_REWRITE = 512;

/**
 * A forget task runs `forgetConcurrency` rewrites on one DuckDB instance, whose memory limit bounds
 * them all together: the task needs that limit plus overhead, and half a vCPU per rewrite.
 */
export function forgetTaskSize(settings: { forgetConcurrency: number; duckdbMemoryLimit: string }): TaskSize {
  return fargateSizeFor({
    cpu: settings.forgetConcurrency * CPU_PER_REWRITE,
    memory: memoryLimitMiB(settings.duckdbMemoryLimit) + WORKER_OVERHEAD_MIB,
  });
}

/** The find task waits on Athena and writes manifests: small and fixed. */
export const FIND_TASK_SIZE: TaskSize = { cpu: 512, memory: 1024 };
