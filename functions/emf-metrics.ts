import type { JobMetrics, MetricUnitName } from '../core/job.ts';

/**
 * The CloudWatch units EMF accepts (the list Powertools' `MetricUnit` has):
 * a handler written in JavaScript may pass any of them.
 */
const UNITS: ReadonlySet<string> = new Set([
  ...['Seconds', 'Microseconds', 'Milliseconds', 'Percent', 'Count', 'None'],
  ...['Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes'],
  ...['Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits'],
  ...['Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second'],
  ...['Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second'],
  ...['Gigabits/Second', 'Terabits/Second', 'Count/Second'],
]);
/** EMF takes at most 100 metrics per document and 100 values per metric. */
const MAX_METRICS = 100;
const MAX_VALUES = 100;
const MAX_NAME_LENGTH = 255;

export interface EmfOptions {
  /** CloudWatch namespace of every metric. */
  readonly namespace: string;
  /** The `service` dimension: the job's name. */
  readonly service: string;
  /** Print nothing (metrics are still checked). @default false */
  readonly disabled?: boolean;
  /** Where each document goes, one line each. @default process.stdout */
  readonly write?: (line: string) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

interface StoredMetric {
  readonly unit: string;
  readonly values: number[];
}

/**
 * The job's metrics as CloudWatch embedded metric format, the documents
 * Powertools Metrics writes (namespace, one `service` dimension, a value or a
 * list of values per metric), without its per-call cost: adding a value is a
 * check and a push, so every record can have its own Duration and AgeAtStart.
 * `flush` writes what was added, once per invocation.
 *
 * @example
 * const metrics = new EmfMetrics({ namespace: 'bgjobs/shop', service: 'resize' });
 * metrics.addMetric('Duration', 'Milliseconds', 12);
 * metrics.flush(); // {"_aws":{...},"service":"resize","Duration":12}
 */
export class EmfMetrics implements JobMetrics {
  readonly #options: EmfOptions;
  readonly #write: (line: string) => void;
  readonly #stored = new Map<string, StoredMetric>();

  constructor(options: EmfOptions) {
    this.#options = options;
    this.#write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  addMetric(name: string, unit: MetricUnitName, value: number): void {
    let metric = this.#stored.get(name);
    if (metric === undefined) {
      checkNew(name, unit);
      if (this.#stored.size === MAX_METRICS) this.flush();
      metric = { unit, values: [] };
      this.#stored.set(name, metric);
    } else if (metric.unit !== unit) {
      throw new RangeError(
        `metric "${name}" has unit "${unit}"; allowed: "${metric.unit}", the unit it was first added with`,
      );
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RangeError(`metric "${name}" has value ${value}; allowed: a finite number`);
    }
    metric.values.push(value);
    if (metric.values.length === MAX_VALUES) this.flush();
  }

  /**
   * Adds many values of one metric at once (each record's Duration, say): one
   * check for all of them, instead of one `addMetric` per value.
   */
  addMetricValues(name: string, unit: MetricUnitName, values: readonly number[]): void {
    for (let from = 0; from < values.length; ) {
      let metric = this.#stored.get(name);
      if (metric === undefined) {
        checkNew(name, unit);
        if (this.#stored.size === MAX_METRICS) this.flush();
        metric = { unit, values: [] };
        this.#stored.set(name, metric);
      } else if (metric.unit !== unit) {
        throw new RangeError(
          `metric "${name}" has unit "${unit}"; allowed: "${metric.unit}", the unit it was first added with`,
        );
      }
      const to = Math.min(values.length, from + MAX_VALUES - metric.values.length);
      for (let i = from; i < to; i++) {
        const value = values[i] as number;
        if (!Number.isFinite(value)) {
          throw new RangeError(`metric "${name}" has value ${value}; allowed: a finite number`);
        }
        metric.values.push(value);
      }
      from = to;
      if (metric.values.length === MAX_VALUES) this.flush();
    }
  }

  /** Writes one document with every metric added since the last flush, if any. */
  flush(): void {
    if (this.#stored.size === 0) return;
    const line = emfLine(this.#options, this.#stored);
    this.#stored.clear();
    if (!this.#options.disabled) this.#write(line);
  }
}

/**
 * One EMF document as a JSON line, what Powertools prints: the namespace, the
 * `service` dimension, and each metric's definition and value (a single value
 * stays a number). Written out directly: once per invocation, JSON.stringify
 * of the same object costs several times more.
 */
export function emfLine(
  options: Pick<EmfOptions, 'namespace' | 'service' | 'now'>,
  metrics: ReadonlyMap<string, StoredMetric>,
): string {
  let definitions = '';
  let values = '';
  for (const [name, metric] of metrics) {
    const key = JSON.stringify(name);
    // Units come from a fixed list of plain words; values are finite numbers, which print as JSON does.
    definitions += `${definitions === '' ? '' : ','}{"Name":${key},"Unit":"${metric.unit}"}`;
    const list = metric.values;
    values += `,${key}:${list.length === 1 ? list[0] : `[${list.join(',')}]`}`;
  }
  const timestamp = (options.now ?? Date.now)();
  return `{"_aws":{"Timestamp":${timestamp},"CloudWatchMetrics":[{"Namespace":${JSON.stringify(options.namespace)},"Dimensions":[["service"]],"Metrics":[${definitions}]}]},"service":${JSON.stringify(options.service)}${values}}`;
}

/**
 * Whether metrics are printed, as Powertools decides it: `POWERTOOLS_METRICS_DISABLED`
 * when set, else off in Powertools' dev mode (`POWERTOOLS_DEV`).
 */
export function metricsDisabled(env: NodeJS.ProcessEnv): boolean {
  const disabled = env.POWERTOOLS_METRICS_DISABLED;
  if (disabled !== undefined) return isTruthy(disabled);
  return isTruthy(env.POWERTOOLS_DEV ?? '');
}

function isTruthy(value: string): boolean {
  return ['1', 'y', 'yes', 't', 'true', 'on'].includes(value.trim().toLowerCase());
}

/** Keys of the document itself: a metric of that name would overwrite them. */
const RESERVED = new Set(['_aws', 'service']);

function checkNew(name: string, unit: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new RangeError(
      `metric name ${JSON.stringify(name)}; allowed: a string of 1 to ${MAX_NAME_LENGTH} characters`,
    );
  }
  if (RESERVED.has(name)) {
    throw new RangeError(
      `metric name "${name}"; allowed: any other, "${name}" is a key of the EMF document`,
    );
  }
  if (!UNITS.has(unit)) {
    throw new RangeError(
      `metric "${name}" has unit ${JSON.stringify(unit)}; allowed: ${[...UNITS].join(', ')}`,
    );
  }
}
