/** What the handler benchmark asks of its child: bundles to import, groups of arms to time. */
export interface MeasureSpec {
  readonly arms: readonly { name: string; bundleUrl: string; jobName: string }[];
  readonly groups: readonly {
    readonly name: string;
    /** Timed in alternation, in rotating order. */
    readonly arms: readonly string[];
    readonly rounds: number;
    readonly warmUpBatches: number;
    /** Batches of 10 per arm and round: fewer for an arm whose batches take long. */
    readonly batchesPerRound: Record<string, number>;
  }[];
}

/** One round: each arm's wall and CPU nanoseconds per record. */
export type RoundFigures = Record<string, { wallNs: number; cpuNs: number }>;
