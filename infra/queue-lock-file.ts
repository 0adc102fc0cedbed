import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AppPlan } from '../core/plan.ts';
import {
  type AllowedReplacements,
  checkQueueLock,
  EMPTY_QUEUE_LOCK,
  formatQueueLock,
  parseQueueLock,
  QueueReplacementError,
} from '../core/queue-lock.ts';

/**
 * Checks the app's queues against the lock file and writes the file when it
 * grows (a new stack, job or queue) or when an allowed change is applied.
 * Throws QueueReplacementError, and writes nothing, when a queue would be
 * replaced or removed without the opt-in.
 *
 * @example
 * enforceQueueLock('bgjobs.lock.json', stack.plan, []); // { written: true } on the first synth
 */
export function enforceQueueLock(
  file: string,
  app: AppPlan,
  allowed: AllowedReplacements,
): { readonly written: boolean } {
  const lock = existsSync(file) ? parseQueueLock(readFileSync(file, 'utf8'), file) : undefined;
  const check = checkQueueLock(lock ?? EMPTY_QUEUE_LOCK, app, allowed);
  if (check.problems.length > 0) throw new QueueReplacementError(file, check.problems);
  if (!check.changed && lock) return { written: false };
  writeFileSync(file, formatQueueLock(check.lock));
  return { written: true };
}
