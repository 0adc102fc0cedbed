/**
 * The local EventBridge endpoint: the AWS SDK and `aws events ... --endpoint-url` talk to it as
 * to EventBridge, and an event put on the stack's bus reaches the queue of every job whose rule
 * matches it, with the body the rule's SQS target would deliver.
 *
 * Where it differs from AWS, on purpose:
 * - An entry for a bus that does not exist fails with `ResourceNotFoundException`; AWS accepts
 *   it and drops the event.
 * - PutEvents answers after each matched rule's first delivery attempt, so the message is in the
 *   queue (or, for an error that is not retried, in the rule's dead-letter queue) once PutEvents
 *   returns. A failed delivery still leaves the entry successful, as on AWS; `deliver` (the rule
 *   targets, `rule-targets.ts`) retries it and dead-letters it.
 * - Only PutEvents, ListRules, DescribeRule, EnableRule and DisableRule are offered; any other
 *   operation is an `UnknownOperationException`. Signatures are not checked.
 */

import { createServer, type IncomingMessage } from 'node:http';
import { DEFAULT_EVENT_BUS } from '../../core/arns.ts';
import type { EventBridgeEvent } from '../../core/messages.ts';
import { closeServer, listenLocal } from '../listen-error.ts';
import {
  EventBridgeApiError,
  operationOf,
  readJsonBody,
  sendError,
  sendResult,
} from './protocol.ts';
import { putEvents } from './put-events.ts';
import type { LocalRule, RuleRegistry } from './rules.ts';
import { describeRule, listRules, setRuleState } from './rules-api.ts';

const HOST = '127.0.0.1';

export interface EventBusOptions {
  readonly rules: RuleRegistry;
  /** The stack's bus name, e.g. `bgjobs-bus`. */
  readonly busName: string;
  /** @default 0 - a free port */
  readonly port?: number;
  /** The rule's target: delivers the event, retrying and dead-lettering as EventBridge does. */
  readonly deliver: (rule: LocalRule, event: EventBridgeEvent) => Promise<void>;
  /** @default - nothing */
  readonly onMatched?: (rule: LocalRule, event: EventBridgeEvent) => void;
  /** An event that no enabled rule matched. @default - a warning on stderr */
  readonly onUnmatched?: (event: EventBridgeEvent) => void;
  /** A `deliver` that rejected, which the rule targets never do. @default - an error on stderr */
  readonly onDeliveryError?: (rule: LocalRule, event: EventBridgeEvent, error: Error) => void;
}

export interface EventBusEndpoint {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

type Operation = (input: Record<string, unknown>) => unknown;

/**
 * Starts the endpoint on 127.0.0.1 only.
 *
 * @example
 * const bus = await startEventBus({ rules, busName: 'bgjobs-bus', port: 4010, deliver });
 * // aws events put-events --endpoint-url http://127.0.0.1:4010 --entries '[{"EventBusName":"bgjobs-bus",...}]'
 */
export async function startEventBus(options: EventBusOptions): Promise<EventBusEndpoint> {
  const table = operations(options);
  const server = createServer((request, response) => {
    answer(table, request).then(
      (result) => sendResult(response, result),
      (error: unknown) => sendError(response, error),
    );
  });
  const boundPort = await listenLocal(server, options.port ?? 0, 'event bus endpoint');
  return {
    endpoint: `http://${HOST}:${boundPort}`,
    port: boundPort,
    stop: () => closeServer(server),
  };
}

async function answer(table: Map<string, Operation>, request: IncomingMessage): Promise<unknown> {
  const operation = table.get(operationOf(request) ?? '');
  if (!operation) {
    request.resume(); // drains the body nobody will read
    const asked = request.headers['x-amz-target'] ?? `${request.method} ${request.url}`;
    throw new EventBridgeApiError(
      'UnknownOperationException',
      `unknown operation ${JSON.stringify(asked)}; this endpoint serves POST / with X-Amz-Target AWSEvents.<${[...table.keys()].join(' | ')}>`,
    );
  }
  return operation(await readJsonBody(request));
}

function operations(options: EventBusOptions): Map<string, Operation> {
  const deps = { rules: options.rules, buses: [DEFAULT_EVENT_BUS, options.busName] };
  const putEventsDeps = {
    ...deps,
    deliver: options.deliver,
    onMatched: options.onMatched ?? (() => {}),
    onUnmatched: options.onUnmatched ?? warnUnmatched,
    onDeliveryError: options.onDeliveryError ?? reportDeliveryError,
  };
  return new Map<string, Operation>([
    ['PutEvents', (input) => putEvents(input, putEventsDeps)],
    ['ListRules', (input) => listRules(input, deps)],
    ['DescribeRule', (input) => describeRule(input, deps)],
    ['EnableRule', (input) => setRuleState('ENABLED')(input, deps)],
    ['DisableRule', (input) => setRuleState('DISABLED')(input, deps)],
  ]);
}

function warnUnmatched(event: EventBridgeEvent): void {
  console.warn(
    `event bus: event ${event.id} (source ${event.source}, detail-type ${event['detail-type']}) matched no enabled rule`,
  );
}

function reportDeliveryError(rule: LocalRule, event: EventBridgeEvent, error: Error): void {
  console.error(
    `event bus: rule ${rule.name} could not deliver event ${event.id} to job ${rule.job.name}: ${error.message}`,
  );
}
