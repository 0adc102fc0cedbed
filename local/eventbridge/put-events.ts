import { randomUUID } from 'node:crypto';
import { toError } from '../../core/errors.ts';
import { matchesEventPattern } from '../../core/event-pattern.ts';
import type { JobDefinition } from '../../core/job.ts';
import { SQS_MAX_BATCH_ENTRIES } from '../../core/limits.ts';
import { type EventBridgeEvent, ruleTargetBody } from '../../core/messages.ts';
import { decideEntry } from './entries.ts';
import { EventBridgeApiError } from './protocol.ts';
import type { LocalRule, RuleRegistry } from './rules.ts';

export interface PutEventsDeps {
  readonly rules: RuleRegistry;
  readonly buses: readonly string[];
  readonly deliver: (job: JobDefinition, body: string) => Promise<void>;
  readonly onMatched: (rule: LocalRule, event: EventBridgeEvent) => void;
  readonly onUnmatched: (event: EventBridgeEvent) => void;
  readonly onDeliveryError: (rule: LocalRule, event: EventBridgeEvent, error: Error) => void;
}

type ResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsResponse {
  readonly FailedEntryCount: number;
  readonly Entries: ResultEntry[];
}

/**
 * PutEvents: every entry is decided on its own and answered in request order. Entries are
 * routed one after another, so events reach a queue in the order they were put.
 */
export async function putEvents(
  input: Record<string, unknown>,
  deps: PutEventsDeps,
): Promise<PutEventsResponse> {
  const entries = checkedEntries(input.Entries);
  const now = new Date();
  const results: ResultEntry[] = [];
  for (const entry of entries) {
    const outcome = decideEntry(entry, { id: randomUUID(), now, buses: deps.buses });
    if (outcome.status === 'rejected') {
      results.push({ ErrorCode: outcome.errorCode, ErrorMessage: outcome.errorMessage });
    } else {
      await route(outcome.busName, outcome.event, deps);
      results.push({ EventId: outcome.event.id });
    }
  }
  return {
    FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
    Entries: results,
  };
}

/** The enabled rules on the bus whose pattern the event matches; schedule rules match no event. */
export function matchingRules(rules: readonly LocalRule[], event: EventBridgeEvent): LocalRule[] {
  return rules.filter(
    (rule) =>
      rule.state === 'ENABLED' &&
      rule.eventPattern !== undefined &&
      matchesEventPattern(rule.eventPattern, event),
  );
}

// As on AWS, a target that fails does not fail the entry: delivery is the rule's business.
async function route(busName: string, event: EventBridgeEvent, deps: PutEventsDeps): Promise<void> {
  const matched = matchingRules(deps.rules.onBus(busName), event);
  if (matched.length === 0) {
    deps.onUnmatched(event);
    return;
  }
  const body = ruleTargetBody(event);
  await Promise.all(
    matched.map(async (rule) => {
      deps.onMatched(rule, event);
      try {
        await deps.deliver(rule.job, body);
      } catch (error) {
        deps.onDeliveryError(rule, event, toError(error));
      }
    }),
  );
}

function checkedEntries(entries: unknown): unknown[] {
  if (!Array.isArray(entries)) {
    throw new EventBridgeApiError(
      'ValidationException',
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  }
  if (entries.length < 1 || entries.length > SQS_MAX_BATCH_ENTRIES) {
    const bound =
      entries.length < 1
        ? 'greater than or equal to 1'
        : `less than or equal to ${SQS_MAX_BATCH_ENTRIES}`;
    throw new EventBridgeApiError(
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${bound}; got ${entries.length} entries`,
    );
  }
  return entries;
}
