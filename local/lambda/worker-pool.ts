import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { InvocationResult } from './batch-result.ts';
import type { FromWorker, OutcomeReport, WorkerConfig } from './worker-protocol.ts';

const WORKER_FILE = new URL('./worker.ts', import.meta.url);
/** Lambda gives a function's init 10 s, apart from the invocation timeout. */
const INIT_TIMEOUT_MS = 10_000;

interface Slot {
  readonly worker: Worker;
  busy: boolean;
  /** The job is loaded: invocations start at once, and only the first one says `started`. */
  warm: boolean;
}

/**
 * Warm execution environments for one job, at most `size` of them, each
 * running one invocation at a time. A timed-out or crashed worker is
 * terminated and replaced, as Lambda replaces a timed-out environment.
 */
export class WorkerPool {
  readonly #config: WorkerConfig;
  readonly #environment: () => Record<string, string>;
  readonly #size: number;
  readonly #timeoutMs: number;
  readonly #onOutcome: (report: OutcomeReport) => void;
  readonly #onLogLine: (line: string) => void;
  readonly #slots = new Set<Slot>();
  #nextId = 0;

  constructor(options: {
    config: WorkerConfig;
    /** The `process.env` of each new worker (called once per worker). */
    environment: () => Record<string, string>;
    size: number;
    timeoutMs: number;
    onOutcome: (report: OutcomeReport) => void;
    /** Each line a worker writes to stdout or stderr (the job's log lines, as CloudWatch gets them). */
    onLogLine: (line: string) => void;
  }) {
    this.#config = options.config;
    this.#environment = options.environment;
    this.#onLogLine = options.onLogLine;
    this.#size = options.size;
    this.#timeoutMs = options.timeoutMs;
    this.#onOutcome = options.onOutcome;
  }

  /** Runs one invocation; the caller keeps at most `size` in flight. */
  invoke(event: unknown): Promise<InvocationResult> {
    const slot = this.#idleSlot();
    slot.busy = true;
    const invocationId = this.#nextId++;
    return new Promise<InvocationResult>((resolve) => {
      const finish = (result: InvocationResult, keep: boolean) => {
        clearTimeout(timer);
        slot.worker.off('message', onMessage);
        slot.worker.off('error', onCrash);
        slot.worker.off('exit', onCrash);
        if (keep) slot.busy = false;
        else this.#discard(slot);
        resolve(result);
      };
      const startTimeout = () =>
        setTimeout(
          () => finish({ kind: 'timed-out', timeoutMs: this.#timeoutMs }, false),
          this.#timeoutMs,
        );
      const onMessage = (message: FromWorker) => {
        if (message.type === 'outcomes')
          for (const report of message.outcomes) this.#onOutcome(report);
        else if (message.type === 'started') {
          // The timeout runs from the handler's start; loading the job (init) has its own limit.
          slot.warm = true;
          clearTimeout(timer);
          timer = startTimeout();
        } else if (message.invocationId === invocationId) {
          finish(
            message.type === 'returned'
              ? { kind: 'returned', response: message.response }
              : { kind: 'threw', error: message.error },
            true,
          );
        }
      };
      const onCrash = (error: unknown) =>
        finish({ kind: 'threw', error: `the worker stopped: ${String(error)}` }, false);
      let timer = slot.warm
        ? startTimeout()
        : setTimeout(
            () =>
              finish(
                { kind: 'threw', error: `the job did not load within ${INIT_TIMEOUT_MS} ms` },
                false,
              ),
            INIT_TIMEOUT_MS + this.#timeoutMs,
          );
      slot.worker.on('message', onMessage);
      slot.worker.once('error', onCrash);
      slot.worker.once('exit', onCrash);
      slot.worker.postMessage({ invocationId, event, timeoutMs: this.#timeoutMs });
    });
  }

  /** Terminates every worker; invocations still running end as crashed. */
  async close(): Promise<void> {
    await Promise.all([...this.#slots].map((slot) => this.#discard(slot)));
  }

  #idleSlot(): Slot {
    for (const slot of this.#slots) if (!slot.busy) return slot;
    if (this.#slots.size >= this.#size) {
      throw new Error(`worker pool of ${this.#config.jobName} is full (${this.#size})`);
    }
    const worker = new Worker(WORKER_FILE, {
      workerData: this.#config,
      env: this.#environment(),
      // What Lambda would send to CloudWatch Logs: captured here, not passed through.
      stdout: true,
      stderr: true,
    });
    worker.unref();
    for (const stream of [worker.stdout, worker.stderr] as Readable[]) {
      createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) =>
        this.#onLogLine(line),
      );
    }
    const slot: Slot = { worker, busy: false, warm: false };
    this.#slots.add(slot);
    return slot;
  }

  async #discard(slot: Slot): Promise<void> {
    this.#slots.delete(slot);
    await slot.worker.terminate();
  }
}
