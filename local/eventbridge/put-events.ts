import { randomUUID } from 'node:crypto';
import { toError } from '../../core/errors.ts';
import { matchesEventPattern } from '../../core/event-pattern.ts';
import type { EventBridgeEvent } from '../../core/messages.ts';
import { decideEntry } from './entries.ts';
import { validatedEntries } from './request-validation.ts';
import type { LocalRule, RuleRegistry } from './rules.ts';

export interface PutEventsDeps {
  readonly rules: RuleRegistry;
  readonly buses: readonly string[];
  /** The rule's target: resolves once the event is in the job's queue, retrying or dead-lettered. */
  readonly deliver: (rule: LocalRule, event: EventBridgeEvent) => Promise<void>;
  readonly onMatched: (rule: LocalRule, event: EventBridgeEvent) => void;
  readonly onUnmatched: (event: EventBridgeEvent) => void;
  /** A `deliver` that rejected, which it should not. */
  readonly onDeliveryError: (rule: LocalRule, event: EventBridgeEvent, error: Error) => void;
}

type ResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsResponse {
  readonly FailedEntryCount: number;
  readonly Entries: ResultEntry[];
}

/**
 * PutEvents: the request is checked as a whole first (nothing is delivered from a request
 * EventBridge refuses), then every entry is decided on its own and answered in request order.
 * Entries are routed one after another, so events reach a queue in the order they were put.
 */
export async function putEvents(
  input: Record<string, unknown>,
  deps: PutEventsDeps,
): Promise<PutEventsResponse> {
  const entries = validatedEntries(input.Entries);
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
  await Promise.all(
    matched.map(async (rule) => {
      deps.onMatched(rule, event);
      try {
        await deps.deliver(rule, event);
      } catch (error) {
        deps.onDeliveryError(rule, event, toError(error));
      }
    }),
  );
}
