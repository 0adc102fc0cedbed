import type { EventBridgeEvent } from '../core/messages.ts';
import type { RecordOutcome } from '../core/outcomes.ts';
import type { RuleTargetReport } from './eventbridge/rule-targets.ts';
import type { LocalRule } from './eventbridge/rules.ts';
import type { DeliveryReport } from './eventbridge/target-deliveries.ts';
import type { BatchSettlement, InvocationResult } from './lambda/batch-result.ts';
import type { ScheduleRun } from './scheduler/runner.ts';

/** What the runtime reports as it runs: the dashboard, the tests and `npm start`'s log listen. */
export interface RuntimeEvents {
  outcome: [{ job: string; messageId: string; attempt: number; outcome: RecordOutcome }];
  batch: [{ job: string; size: number; result: InvocationResult; settlement: BatchSettlement }];
  delivered: [{ rule: LocalRule; event: EventBridgeEvent }];
  unmatched: [{ event: EventBridgeEvent }];
  /** How each event a rule sent fared at its target: delivered, retrying, dead-lettered, lost, abandoned. */
  ruleTarget: [RuleTargetReport];
  /** How each run of an EventBridge Scheduler schedule fared at its target, as for rules. */
  scheduleRun: [DeliveryReport<ScheduleRun>];
  problem: [{ job: string | undefined; error: Error }];
  /**
   * The runtime stopped by itself, because a part it cannot run without ended
   * (the SQS endpoint's process); emitted once it has stopped.
   */
  fatal: [{ error: Error }];
}
