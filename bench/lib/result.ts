/** What a benchmark measures for one comparison: a baseline, a candidate and their ratio. */
export interface Figure {
  readonly label: string;
  readonly value: number;
  readonly unit: Unit;
}

export type Unit = 'msg/s' | 'ns/record' | 'bytes' | 'ms' | 'MB';

/** A claim: the ratio (candidate / baseline), or the candidate's own figure, against a bound. */
export interface Target {
  readonly of: 'ratio' | 'candidate';
  readonly op: '>=' | '<=';
  readonly value: number;
}

export interface ResultRow {
  readonly metric: string;
  readonly baseline: Figure;
  readonly candidate: Figure;
  /** The median of the per-round ratios candidate / baseline. */
  readonly ratio: number;
  /** Undefined for a row shown for reference only. */
  readonly target: Target | undefined;
  readonly met: boolean | undefined;
  /** Set when the candidate could not do what is measured (the figure is then what it did until it failed). */
  readonly failure?: string;
}

export interface BenchResult {
  readonly rows: readonly ResultRow[];
  /** What limited or qualifies the figures, in sentences. */
  readonly notes: readonly string[];
  /** Every round's raw figures, for whoever wants to check the medians. */
  readonly details: Record<string, unknown>;
}

export interface Benchmark {
  /** What `npm run bench -- <name>` selects, and the name of `results/<name>.json`. */
  readonly name: string;
  readonly title: string;
  run(): Promise<BenchResult>;
}

/** A row, with `met` decided from its target. */
export function resultRow(row: Omit<ResultRow, 'met'>): ResultRow {
  if (row.failure) return { ...row, met: false };
  if (!row.target) return { ...row, met: undefined };
  const measured = row.target.of === 'ratio' ? row.ratio : row.candidate.value;
  const met = row.target.op === '>=' ? measured >= row.target.value : measured <= row.target.value;
  return { ...row, met };
}
