import type { DeliveryReport } from '../eventbridge/target-deliveries.ts';
import type { ScheduleRun } from './runner.ts';

/**
 * The readable line for a schedule run's report, or undefined for a run delivered at the
 * first attempt (the record's own line follows). A run that could not be kept is printed
 * whole, so that it can be sent again by hand.
 */
export function scheduleRunLine(report: DeliveryReport<ScheduleRun>): string | undefined {
  const { source, retries } = report;
  const subject = `schedule ${source.record.GroupName}/${source.record.Name} (run of ${source.scheduledTime.toISOString()})`;
  const tries = `${retries} ${retries === 1 ? 'retry' : 'retries'}`;
  const failure =
    'failure' in report ? `${report.failure.errorCode} (${report.failure.errorMessage})` : '';
  switch (report.outcome) {
    case 'delivered':
      return retries === 0 ? undefined : `${subject} delivered after ${tries}`;
    case 'retrying':
      return `${subject} not delivered: ${failure}; retry ${retries + 1} in ${(report.delayMs / 1000).toFixed(1)} s`;
    case 'dead-lettered':
      return `${subject} moved to its dead-letter queue (${report.exhaustedCondition ? `${report.exhaustedCondition} reached after ${tries}` : 'not retried'}): ${failure}`;
    case 'lost':
      return `${subject} LOST after ${tries}: ${failure}; ${report.reason}. Its input: ${source.record.Target.Input ?? '{}'}`;
    case 'abandoned':
      return `${subject} dropped at shutdown while waiting to retry (${tries}, last ${failure}): retries are kept in memory only. Its input: ${source.record.Target.Input ?? '{}'}`;
  }
}
