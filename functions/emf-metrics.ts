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

  /** Writes one document with every metric added since the last flush, if any. */
  flush(): void {
    if (this.#stored.size === 0) return;
    const line = JSON.stringify(emfDocument(this.#options, this.#stored));
    this.#stored.clear();
    if (!this.#options.disabled) this.#write(line);
  }
}

/** One EMF document, as Powertools serializes it: a single value stays a number. */
export function emfDocument(
  options: Pick<EmfOptions, 'namespace' | 'service' | 'now'>,
  metrics: ReadonlyMap<string, StoredMetric>,
): Record<string, unknown> {
  const definitions: { Name: string; Unit: string }[] = [];
  const document: Record<string, unknown> = {
    _aws: {
      Timestamp: (options.now ?? Date.now)(),
      CloudWatchMetrics: [
        { Namespace: options.namespace, Dimensions: [['service']], Metrics: definitions },
      ],
    },
    service: options.service,
  };
  for (const [name, { unit, values }] of metrics) {
    definitions.push({ Name: name, Unit: unit });
    document[name] = values.length === 1 ? values[0] : values;
  }
  return document;
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

function checkNew(name: string, unit: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new RangeError(
      `metric name ${JSON.stringify(name)}; allowed: a string of 1 to ${MAX_NAME_LENGTH} characters`,
    );
  }
  if (!UNITS.has(unit)) {
    throw new RangeError(
      `metric "${name}" has unit ${JSON.stringify(unit)}; allowed: ${[...UNITS].join(', ')}`,
    );
  }
}
