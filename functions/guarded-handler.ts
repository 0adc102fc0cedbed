import { BgjobsError } from '../core/errors.ts';
import { idempotencyKey } from '../core/idempotency-key.ts';
import type { JobContext, JobLogger, RunnableJob } from '../core/job.ts';
import type { GuardedRun, IdempotencyGuard } from './idempotency.ts';

/** How a guarded handler call ended: it ran, or its idempotency key had already completed. */
export type HandlerRun = { readonly ran: true } | { readonly ran: false; readonly key: string };

/** Loads the job's idempotency guard on first use; undefined for a job without `idempotency`. */
export type GuardLoader = () => Promise<IdempotencyGuard>;

/**
 * Calls an idempotent job's handler through its guard. The key is worked out
 * first: a key function that throws fails the record like its handler would.
 */
export async function callGuarded(
  job: RunnableJob,
  payload: unknown,
  context: JobContext,
  guard: GuardLoader,
): Promise<HandlerRun> {
  if (!job.idempotency) {
    throw new BgjobsError(`job "${job.name}" has an idempotency guard but no idempotency`);
  }
  const key = idempotencyKey(job.idempotency, payload, context);
  const run: GuardedRun = await (await guard()).run(
    key,
    async () => job.handler(payload, context),
    context.remainingTimeMs,
  );
  return run === 'ran' ? { ran: true } : { ran: false, key };
}

declare global {
  /** functions/bundling.ts defines it `true` in a bundle whose job has no idempotency. */
  var BGJOBS_BUNDLE_WITHOUT_IDEMPOTENCY: boolean | undefined;
}

/**
 * The guard of an idempotent job, imported with Powertools and the DynamoDB
 * client when its first record comes: other jobs' cold starts load neither,
 * and their bundles do not hold them.
 */
export function lazyGuard(
  job: RunnableJob,
  settings: { tableName: string | undefined; keyPrefix: string | undefined; logger: JobLogger },
): GuardLoader | undefined {
  const idempotency = job.idempotency;
  if (!idempotency) return undefined;
  const { tableName, keyPrefix } = settings;
  if (!tableName || !keyPrefix) {
    throw new BgjobsError(
      `job "${job.name}" has idempotency, but its function has no idempotency table (BGJOBS_IDEMPOTENCY_TABLE and BGJOBS_IDEMPOTENCY_KEY_PREFIX are not set); the stack and the local runtime set them from the plan`,
    );
  }
  let guard: Promise<IdempotencyGuard> | undefined;
  return () => {
    if (!guard) {
      guard = (
        globalThis.BGJOBS_BUNDLE_WITHOUT_IDEMPOTENCY
          ? Promise.reject(new BgjobsError(`job "${job.name}" was bundled without idempotency`))
          : import('./idempotency.ts')
      ).then((module) =>
        module.idempotencyGuard({
          tableName,
          keyPrefix,
          ttlSeconds: idempotency.ttlSeconds,
          logger: settings.logger,
        }),
      );
      // A failed import is not kept: the next record tries again. Attached once, not per record.
      guard.catch(() => {
        guard = undefined;
      });
    }
    return guard;
  };
}
