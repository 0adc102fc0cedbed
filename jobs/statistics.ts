import * as z from 'zod';
import { defineJob } from '../core/index.ts';
import { randomSamples, summarize } from './summarize.ts';

/**
 * The talk's Statistics server, without a loop: an EventBridge rule sends it a
 * message every minute. It summarises a sample and logs and measures the result.
 */
export const statisticsJob = defineJob({
  name: 'statistics',
  schedule: 'rate(1 minute)',
  // A schedule delivers an event whose detail is {}; `bgjobs run statistics '{"samples":10}'` may ask for more or less.
  schema: z.strictObject({ samples: z.number().int().min(1).max(1_000_000).default(100_000) }),
  example: { samples: 1000 },
  handler: async ({ samples }, ctx) => {
    const summary = summarize(randomSamples(samples));
    ctx.logger.info('statistics computed', { summary, scheduledAt: ctx.event?.time });
    ctx.metrics.addMetric('StatisticsMean', 'None', summary.mean);
    ctx.metrics.addMetric('StatisticsSamples', 'Count', summary.count);
  },
  timeoutSeconds: 30,
  maxConcurrency: 2,
});
