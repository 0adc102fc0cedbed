/** One sampler tick of one job: what SQS and the runtime reported for that second. */
export interface Sample {
  /** Epoch milliseconds of the tick. */
  readonly at: number;
  /** `ApproximateNumberOfMessages` of the job's queue: waiting to be received. */
  readonly visible: number;
  /** `ApproximateNumberOfMessagesNotVisible`: received and not yet deleted or returned. */
  readonly inFlight: number;
  /** `ApproximateNumberOfMessagesDelayed`: sent with a delay or waiting for a retry delay. */
  readonly delayed: number;
  /** Visible + not visible + delayed of the dead-letter queue. */
  readonly deadLetters: number;
  /** Outcome events `succeeded` since the previous tick. */
  readonly processed: number;
  /** Outcome events `retry` or `dead-lettered` since the previous tick. */
  readonly failed: number;
  /** Records of batches that failed as a whole (timeout, crash) since the previous tick. */
  readonly batchFailed: number;
}

export const SAMPLE_FIELDS = [
  'at',
  'visible',
  'inFlight',
  'delayed',
  'deadLetters',
  'processed',
  'failed',
  'batchFailed',
] as const satisfies readonly (keyof Sample)[];

/** Samples as columns, the shape uPlot draws: one array per field, oldest first. */
export type SeriesColumns = Record<(typeof SAMPLE_FIELDS)[number], number[]>;

/** The last `capacity` samples of a job; the oldest is dropped when a new one arrives. */
export class SampleRing {
  readonly #capacity: number;
  readonly #samples: Sample[] = [];

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  push(sample: Sample): void {
    this.#samples.push(sample);
    if (this.#samples.length > this.#capacity) this.#samples.shift();
  }

  latest(): Sample | undefined {
    return this.#samples.at(-1);
  }

  columns(): SeriesColumns {
    const columns = Object.fromEntries(SAMPLE_FIELDS.map((f) => [f, [] as number[]]));
    for (const sample of this.#samples)
      for (const field of SAMPLE_FIELDS) columns[field]?.push(sample[field]);
    return columns as SeriesColumns;
  }
}
