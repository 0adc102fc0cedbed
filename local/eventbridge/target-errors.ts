/**
 * A failed SendMessage to a rule's target queue, as EventBridge reports it: the `ERROR_CODE` it
 * puts on the dead letter (codes from the EventBridge user guide's list for target DLQs), and
 * whether it retries. Missing permissions and a target that no longer exists are not retried
 * ("all retry attempts fail until an action is taken"); neither is a message the queue refuses.
 * Throttling, timeouts, server errors and failed connections are.
 */

export type RuleTargetErrorCode =
  | 'NO_RESOURCE'
  | 'NO_PERMISSIONS'
  | 'INVALID_PARAMETER'
  | 'THROTTLING'
  | 'TIMEOUT'
  | 'INTERNAL_ERROR'
  | 'SDK_CLIENT_ERROR';

export interface TargetFailure {
  readonly errorCode: RuleTargetErrorCode;
  /** `<SQS error name>: <message>`, what the dead letter's `ERROR_MESSAGE` says. */
  readonly errorMessage: string;
  readonly retryable: boolean;
}

// SQS error names without the `AWS.SimpleQueueService.` prefix the SDK keeps from the
// query-compatible error header (`AWS.SimpleQueueService.InvalidParameterValue`).
const QUERY_PREFIX = 'AWS.SimpleQueueService.';
const NOT_RETRIED: Readonly<Record<string, RuleTargetErrorCode>> = {
  QueueDoesNotExist: 'NO_RESOURCE',
  NonExistentQueue: 'NO_RESOURCE',
  AccessDenied: 'NO_PERMISSIONS',
  AccessDeniedException: 'NO_PERMISSIONS',
  KmsAccessDenied: 'NO_PERMISSIONS',
  InvalidParameterValue: 'INVALID_PARAMETER',
  InvalidMessageContents: 'INVALID_PARAMETER',
  MissingParameter: 'INVALID_PARAMETER',
  InvalidAttributeName: 'INVALID_PARAMETER',
  InvalidAttributeValue: 'INVALID_PARAMETER',
  InvalidAddress: 'INVALID_PARAMETER',
  UnsupportedOperation: 'INVALID_PARAMETER',
};
const THROTTLED = new Set([
  'RequestThrottled',
  'ThrottlingException',
  'Throttling',
  'KmsThrottled',
  'OverLimit',
]);
const TIMED_OUT = new Set(['TimeoutError', 'RequestTimeout', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/**
 * @example
 * classifyTargetError(new QueueDoesNotExist({ message: 'The specified queue does not exist.', $metadata: {} }))
 * // { errorCode: 'NO_RESOURCE', retryable: false, errorMessage: 'QueueDoesNotExist: The specified queue does not exist.' }
 */
export function classifyTargetError(error: Error): TargetFailure {
  const name = error.name.startsWith(QUERY_PREFIX)
    ? error.name.slice(QUERY_PREFIX.length)
    : error.name;
  const code = (error as { code?: unknown }).code;
  const errorMessage = `${typeof code === 'string' && name === 'Error' ? code : name}: ${error.message}`;
  const notRetried = NOT_RETRIED[name];
  if (notRetried) return { errorCode: notRetried, errorMessage, retryable: false };
  if (THROTTLED.has(name)) return { errorCode: 'THROTTLING', errorMessage, retryable: true };
  if (TIMED_OUT.has(name) || (typeof code === 'string' && TIMED_OUT.has(code))) {
    return { errorCode: 'TIMEOUT', errorMessage, retryable: true };
  }
  if ((error as { $fault?: unknown }).$fault === 'server') {
    return { errorCode: 'INTERNAL_ERROR', errorMessage, retryable: true };
  }
  // A failed connection, or an error the SDK raised without an answer from SQS.
  return { errorCode: 'SDK_CLIENT_ERROR', errorMessage, retryable: true };
}
