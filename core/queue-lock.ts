/**
 * The queue lock: which queue names each deployed job owns, per stack. It is
 * committed next to the app (`bgjobs.lock.json`), extended when jobs are
 * added, and checked at every synth: a change that would replace or remove a
 * queue (toggling `fifo` renames both queues; renaming or removing a job
 * removes them) is refused unless the job is named in the opt-in, because the
 * old queue goes with its messages, or, when retained, stays behind holding
 * them and its name.
 */
import * as z from 'zod';
import { BgjobsError } from './errors.ts';
import type { AppPlan, JobPlan } from './plan.ts';

export interface QueueLock {
  /** Stack name -> job name -> the names of the job's queues. */
  readonly stacks: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/** Jobs whose queues may be replaced or removed in this synth: some by name, or all. */
export type AllowedReplacements = 'all' | readonly string[];

export interface QueueLockCheck {
  /** Each refused change, naming the job, its old and its new queue names. */
  readonly problems: readonly string[];
  /** The lock after this synth: new jobs and queues added, allowed changes applied. */
  readonly lock: QueueLock;
  readonly changed: boolean;
}

export const EMPTY_QUEUE_LOCK: QueueLock = { stacks: {} };

const lockSchema = z.strictObject({
  stacks: z.record(z.string(), z.record(z.string(), z.array(z.string()))),
});

/** Parses a lock file's text; throws a BgjobsError naming the file and what is wrong. */
export function parseQueueLock(text: string, file: string): QueueLock {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BgjobsError(`${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = lockSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new BgjobsError(
      `${file} is not a bgjobs queue lock (${issues.join('; ')}); expected { "stacks": { "<stack>": { "<job>": ["<queue name>", ...] } } }`,
    );
  }
  return parsed.data;
}

/** The lock as a file's text: keys sorted, so that a change shows as a small diff. */
export function formatQueueLock(lock: QueueLock): string {
  const stacks = Object.fromEntries(
    Object.keys(lock.stacks)
      .sort()
      .map((stack) => {
        const jobs = lock.stacks[stack] ?? {};
        return [
          stack,
          Object.fromEntries(
            Object.keys(jobs)
              .sort()
              .map((j) => [j, jobs[j]]),
          ),
        ];
      }),
  );
  return `${JSON.stringify({ stacks }, null, 2)}\n`;
}

/** The names a job's queues hold: its queue, dead-letter queue and rule dead-letter queue. */
export function lockedQueueNames(job: JobPlan): string[] {
  return [job.queue.name, job.deadLetterQueue.name, job.ruleDeadLetterQueue?.name].filter(
    (name): name is string => name !== undefined,
  );
}

/**
 * Compares the app's queues with the lock of its stack. New jobs and new
 * queues are added; a queue that would go away is a problem unless its job is
 * allowed, in which case the lock takes the new names.
 */
export function checkQueueLock(
  lock: QueueLock,
  app: AppPlan,
  allowed: AllowedReplacements,
): QueueLockCheck {
  const locked = lock.stacks[app.stackName] ?? {};
  const planned = new Map(app.jobs.map((job) => [job.name, lockedQueueNames(job)]));
  const isAllowed = (job: string) => allowed === 'all' || allowed.includes(job);
  const problems: string[] = [];
  const next: Record<string, readonly string[]> = {};

  for (const [job, oldNames] of Object.entries(locked)) {
    const newNames = planned.get(job);
    const gone = oldNames.filter((name) => !newNames?.includes(name));
    if (gone.length === 0 || isAllowed(job)) {
      if (newNames) next[job] = newNames;
      continue;
    }
    next[job] = oldNames;
    problems.push(
      newNames === undefined
        ? `job "${job}" is no longer in the app, but stack "${app.stackName}" has its queues ${list(oldNames)}: a deploy would delete them, or leave retained ones behind with their messages, holding their names`
        : `job "${job}": its queues ${list(gone)} would be replaced (its queues would now be ${list(newNames)}); the old ones go with their messages, or stay behind retained, holding their names`,
    );
  }
  for (const [job, names] of planned) {
    if (!(job in next)) next[job] = names;
  }
  if (allowed !== 'all') {
    for (const job of allowed) {
      if (!(job in locked) && !planned.has(job)) {
        problems.push(
          `allowQueueReplacement names "${job}", which is neither a job of the app nor in the lock of stack "${app.stackName}"; jobs: ${[...new Set([...Object.keys(locked), ...planned.keys()])].join(', ') || 'none'}`,
        );
      }
    }
  }
  const result: QueueLock = { stacks: { ...lock.stacks, [app.stackName]: next } };
  return {
    problems,
    lock: result,
    changed: formatQueueLock(result) !== formatQueueLock(lock),
  };
}

/** A synth that would replace or remove queues with a contract name; `problems` lists each. */
export class QueueReplacementError extends BgjobsError {
  readonly problems: readonly string[];

  constructor(file: string, problems: readonly string[]) {
    super(
      [
        `Refused: this change would replace or remove queues recorded in ${file}:`,
        ...problems.map((p) => `  - ${p}`),
        'Drain the queues first (docs/deploy.md, "Drain, then change"), then allow it for those jobs with',
        '-c allowQueueReplacement=<job>[,<job>...] (or =all); that synth updates the lock file: commit it.',
      ].join('\n'),
    );
    this.problems = problems;
  }
}

function list(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}
