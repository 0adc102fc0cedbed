import * as v from 'valibot';
import { defineJob } from '../core/index.ts';

/**
 * On demand, with a valibot schema (any Standard Schema works, and a small
 * validator keeps the bundle small): sends a user a notification. The sending
 * is a wait, like a call to a mail or SMS service, so the records of a batch
 * run side by side (`recordConcurrency`). Not in `jobs/index.ts` yet: list it
 * there to deploy it and to run it with `npm start`.
 *
 * @example bgjobs enqueue notify '{"userId":"u-1","text":"Your report is ready"}'
 */
export const notifyJob = defineJob({
  name: 'notify',
  schema: v.object({
    userId: v.pipe(v.string(), v.minLength(1)),
    channel: v.optional(v.picklist(['email', 'sms']), 'email'),
    text: v.pipe(v.string(), v.minLength(1), v.maxLength(500)),
  }),
  example: { userId: 'u-1', text: 'Your report is ready' },
  handler: async ({ userId, channel, text }, ctx) => {
    await send(channel === 'sms' ? 150 : 50, ctx.signal);
    ctx.logger.info('notified', { userId, channel, characters: text.length });
  },
  recordConcurrency: 10,
  timeoutSeconds: 20,
});

/** Stands in for the provider's API call. */
function send(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
