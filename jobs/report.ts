import * as z from 'zod';
import { defineJob } from '../core/index.ts';
import { randomSamples, summarize } from './summarize.ts';

export const REPORT_EVENT = { source: 'bgjobs.example', detailType: 'ReportRequested' } as const;

/**
 * Event-driven: `emit('ReportRequested', { reportId, period })` on the stack's
 * bus reaches this job through a rule with its event pattern. Also scheduled
 * in a time zone: the weekly report every Monday at 08:00 in Berlin, summer
 * or winter (an EventBridge Scheduler schedule, within a 15-minute window).
 * It can also be enqueued with a unique key, so that one report is made per
 * key and window: `enqueue('report', payload, { uniqueKey: 'r-1/day', uniqueForSeconds: 3600 })`.
 */
export const reportJob = defineJob({
  name: 'report',
  events: { source: [REPORT_EVENT.source], 'detail-type': [REPORT_EVENT.detailType] },
  schema: z.object({
    reportId: z.string().min(1),
    period: z.enum(['day', 'week', 'month']),
  }),
  schedule: {
    expression: 'cron(0 8 ? * MON *)',
    timeZone: 'Europe/Berlin',
    flexibleWindowMinutes: 15,
    payload: { reportId: 'weekly', period: 'week' },
  },
  example: { reportId: 'r-1', period: 'week' },
  handler: async ({ reportId, period }, ctx) => {
    const days = { day: 1, week: 7, month: 30 }[period];
    const summary = summarize(randomSamples(days * 1000));
    ctx.logger.info('report ready', { reportId, period, requestedAt: ctx.event?.time, summary });
  },
  timeoutSeconds: 120,
  memoryMB: 512,
  maxConcurrency: 2,
  uniqueEnqueues: true,
});
