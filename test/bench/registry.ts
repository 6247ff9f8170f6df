import { activationBenchmark } from './activationBench';
import type { BenchTable } from './benchTable';
import { completionBenchmark } from './completionBench';
import { contextPackingBenchmark } from './contextPacking.bench';
import { mockupBenchmark } from './mockupBench';
import { relevanceBenchmark } from './relevance.bench';
import { soakBenchmark } from './soakBench';

export interface Benchmark {
  name: string;
  run(): Promise<BenchTable[]>;
}

/** Each feature registers its benchmark here (one import and one entry each). */
export const benchmarks: Benchmark[] = [mockupBenchmark, contextPackingBenchmark, completionBenchmark, activationBenchmark, soakBenchmark, relevanceBenchmark];
