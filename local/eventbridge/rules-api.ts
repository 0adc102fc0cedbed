/**
 * ListRules, DescribeRule, EnableRule and DisableRule over the stack's rules. A rule is found by
 * name on one bus (`default` unless `EventBusName` says otherwise), as on AWS: schedule rules
 * live on `default`, event rules on the stack's bus.
 */

import { DEFAULT_EVENT_BUS } from '../../core/arns.ts';
import { busNameOf } from '../../core/event-entry.ts';
import { LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import { EventBridgeApiError, optionalString, requiredString } from './protocol.ts';
import type { LocalRule, RuleRegistry } from './rules.ts';

export interface RuleOperationDeps {
  readonly rules: RuleRegistry;
  readonly buses: readonly string[];
}

export function listRules(input: Record<string, unknown>, deps: RuleOperationDeps) {
  const busName = existingBus(input, deps);
  const prefix = optionalString(input, 'NamePrefix') ?? '';
  const rules = deps.rules
    .onBus(busName)
    .filter((rule) => rule.name.startsWith(prefix))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { Rules: rules.map(ruleShape) };
}

export function describeRule(input: Record<string, unknown>, deps: RuleOperationDeps) {
  return { ...ruleShape(findRule(input, deps)), CreatedBy: LOCAL_ENVIRONMENT.account };
}

export function setRuleState(state: LocalRule['state']) {
  return (input: Record<string, unknown>, deps: RuleOperationDeps): Record<string, never> => {
    findRule(input, deps).state = state;
    return {};
  };
}

/** The fields ListRules and DescribeRule share; an event pattern is a JSON string, as on AWS. */
function ruleShape(rule: LocalRule) {
  return {
    Name: rule.name,
    Arn: rule.arn,
    ...(rule.eventPattern && { EventPattern: JSON.stringify(rule.eventPattern) }),
    ...(rule.scheduleExpression && { ScheduleExpression: rule.scheduleExpression }),
    State: rule.state,
    Description: rule.description,
    EventBusName: rule.eventBusName,
  };
}

function findRule(input: Record<string, unknown>, deps: RuleOperationDeps): LocalRule {
  const name = requiredString(input, 'Name');
  const busName = existingBus(input, deps);
  const rule = deps.rules.get(name);
  if (rule?.eventBusName !== busName) {
    throw new EventBridgeApiError(
      'ResourceNotFoundException',
      `Rule ${name} does not exist on EventBus ${busName}.`,
    );
  }
  return rule;
}

function existingBus(input: Record<string, unknown>, deps: RuleOperationDeps): string {
  const busName = busNameOf(optionalString(input, 'EventBusName') || DEFAULT_EVENT_BUS);
  if (!deps.buses.includes(busName)) {
    throw new EventBridgeApiError(
      'ResourceNotFoundException',
      `Event bus ${busName} does not exist.`,
    );
  }
  return busName;
}
