import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { SQSBatchResponse } from 'aws-lambda';
import type { RecordOutcome } from '../../core/outcomes.ts';
import { END_MARK, type Invocation } from './protocol.ts';

const WORKER = new URL('./invoke-worker.ts', import.meta.url);

export interface InvocationResult {
  readonly response: SQSBatchResponse;
  readonly outcomes: RecordOutcome[];
  /** What the function wrote to stdout and to stderr during the invocation, line by line. */
  readonly stdout: string[];
  readonly stderr: string[];
}

/**
 * A worker thread that imports `moduleFile` (a bundle, or the source entry)
 * with `env` as its whole environment, and runs invocations one at a time.
 */
export class ExecutionEnvironment {
  readonly #worker: Worker;
  readonly #streams: { stdout: LineQueue; stderr: LineQueue };

  constructor(moduleFile: string, env: Record<string, string>) {
    this.#worker = new Worker(WORKER, {
      workerData: { moduleFile, seed: 42 },
      env,
      stdout: true,
      stderr: true,
    });
    this.#streams = {
      stdout: new LineQueue(this.#worker.stdout),
      stderr: new LineQueue(this.#worker.stderr),
    };
  }

  async invoke(invocation: Invocation): Promise<InvocationResult> {
    type Returned = { response: SQSBatchResponse; outcomes: RecordOutcome[] };
    let onMessage: (message: Returned) => void = () => {};
    let onError: (error: Error) => void = () => {};
    const returned = new Promise<Returned>((resolve, reject) => {
      onMessage = resolve;
      onError = reject;
      this.#worker.once('message', onMessage).once('error', onError);
    });
    this.#worker.postMessage(invocation);
    const { response, outcomes } = await returned.finally(() => {
      this.#worker.off('message', onMessage).off('error', onError);
    });
    return {
      response,
      outcomes,
      stdout: await this.#streams.stdout.untilEndMark(),
      stderr: await this.#streams.stderr.untilEndMark(),
    };
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}

/** Lines of a stream, handed out up to each end mark. */
class LineQueue {
  readonly #lines: string[] = [];
  #wake: (() => void) | undefined;

  constructor(stream: Readable) {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      this.#lines.push(line);
      this.#wake?.();
    });
  }

  async untilEndMark(): Promise<string[]> {
    for (;;) {
      const end = this.#lines.indexOf(END_MARK);
      if (end >= 0) return this.#lines.splice(0, end + 1).slice(0, end);
      await new Promise<void>((wake) => {
        this.#wake = wake;
      });
    }
  }
}
