import { ruleTargetBody } from '../../core/messages.ts';
import type { RuleTargetReport } from './rule-targets.ts';

/**
 * The readable line for a rule target's report, or undefined for an event delivered at the
 * first attempt (the record's own line follows). An event the bus could not keep (lost,
 * abandoned) is printed whole, so that it can be sent again by hand.
 */
export function ruleTargetLine(report: RuleTargetReport): string | undefined {
  const { rule, event, retries } = report;
  const subject = `event ${event.id} (rule ${rule.name}, job ${rule.job.name})`;
  const tries = `${retries} ${retries === 1 ? 'retry' : 'retries'}`;
  switch (report.outcome) {
    case 'delivered':
      return retries === 0 ? undefined : `${subject} delivered after ${tries}`;
    case 'retrying':
      return `${subject} not delivered: ${failureText(report.failure)}; retry ${retries + 1} in ${seconds(report.delayMs)}`;
    case 'dead-lettered': {
      const why = report.exhaustedCondition
        ? `${report.exhaustedCondition} reached after ${tries}`
        : 'not retried';
      return `${subject} moved to the rule's dead-letter queue (${why}): ${failureText(report.failure)}`;
    }
    case 'lost':
      return `${subject} LOST after ${tries}: ${failureText(report.failure)}; ${report.reason}. The event: ${ruleTargetBody(event)}`;
    case 'abandoned':
      return `${subject} dropped at shutdown while waiting to retry (${tries}, last ${failureText(report.failure)}): the local bus keeps retries in memory only. The event: ${ruleTargetBody(event)}`;
  }
}

function failureText(failure: { errorCode: string; errorMessage: string }): string {
  return `${failure.errorCode} (${failure.errorMessage})`;
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
