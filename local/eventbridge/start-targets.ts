import type { EventEmitter } from 'node:events';
import { BgjobsError } from '../../core/errors.ts';
import type { Clock } from '../clock.ts';
import type { RuntimeEvents } from '../runtime-events.ts';
import type { JobQueueSet } from '../sqs/queues.ts';
import type { LocalSqs } from '../sqs/start.ts';
import { ruleTargetLine } from './rule-target-line.ts';
import { type RuleTargets, sqsSender, startRuleTargets } from './rule-targets.ts';

/**
 * The SQS targets of every rule, as the plan gives them: the job's queue, the
 * rule's dead-letter queue and the FIFO group. Each report is logged and
 * emitted; anything but a delivery is also a `problem`.
 */
export function startTargets(options: {
  readonly sqs: LocalSqs;
  readonly queues: ReadonlyMap<string, JobQueueSet>;
  readonly clock: Clock | undefined;
  readonly events: EventEmitter<RuntimeEvents>;
  readonly log: (line: string) => void;
}): RuleTargets {
  const { queues, events, log } = options;
  return startRuleTargets({
    send: sqsSender(options.sqs.client),
    targetOf: (rule) => {
      const set = queues.get(rule.job.name) as JobQueueSet;
      return {
        queue: set.queue,
        deadLetterQueue: set.ruleDeadLetterQueue,
        messageGroupId: rule.target.messageGroupId,
      };
    },
    clock: options.clock,
    onReport: (report) => {
      const line = ruleTargetLine(report);
      if (line) log(line);
      events.emit('ruleTarget', report);
      if (report.outcome !== 'delivered') {
        const error = new BgjobsError(line ?? `event ${report.event.id}: ${report.outcome}`);
        events.emit('problem', { job: report.rule.job.name, error });
      }
    },
  });
}
