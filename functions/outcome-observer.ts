import type { SQSRecord } from 'aws-lambda';
import type { RecordOutcome } from '../core/outcomes.ts';

/** Sees each record's outcome; it cannot change it. */
export type OutcomeObserver = (record: SQSRecord, outcome: RecordOutcome) => void;

/**
 * Where a host that loads a job's bundle may put an outcome observer, before
 * the import: the local runtime's workers do, to print a line per record and
 * feed the dashboard. Nothing sets it on AWS, so there it does nothing.
 * `Symbol.for` makes it one key across copies of this module (the bundle has its own).
 */
export const OUTCOME_OBSERVER = Symbol.for('bgjobs.outcomeObserver');

/** The observer installed under `OUTCOME_OBSERVER`, if any. */
export function installedOutcomeObserver(): OutcomeObserver | undefined {
  const observer = (globalThis as Record<symbol, unknown>)[OUTCOME_OBSERVER];
  return typeof observer === 'function' ? (observer as OutcomeObserver) : undefined;
}

/** Installs `observer` for the bundles imported after this call. */
export function installOutcomeObserver(observer: OutcomeObserver): void {
  (globalThis as Record<symbol, unknown>)[OUTCOME_OBSERVER] = observer;
}
