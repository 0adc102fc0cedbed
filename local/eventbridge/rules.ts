import { arns } from '../../core/arns.ts';
import type { EventPattern } from '../../core/event-pattern.ts';
import type { JobDefinition } from '../../core/job.ts';
import { LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import type { AppPlan, RulePlan } from '../../core/plan.ts';
import type { Schedule } from '../../core/schedule.ts';

/** A rule as the stack deploys it (from the plan), with a state the CLI and dashboard can change. */
export interface LocalRule {
  readonly name: string;
  readonly arn: string;
  readonly job: JobDefinition;
  readonly eventBusName: string;
  readonly description: string;
  readonly scheduleExpression: string | undefined;
  /** When a schedule rule fires (parsed from its expression). */
  readonly schedule: Schedule | undefined;
  readonly eventPattern: EventPattern | undefined;
  readonly target: RulePlan['target'];
  state: 'ENABLED' | 'DISABLED';
}

/** The rules of the planned jobs: schedule rules on the default bus, event rules on the stack's bus. */
export class RuleRegistry {
  readonly #rules = new Map<string, LocalRule>();

  constructor(plan: Pick<AppPlan, 'jobs'>) {
    for (const job of plan.jobs) {
      for (const rule of job.rules) {
        this.#rules.set(rule.name, {
          name: rule.name,
          arn: arns.rule(LOCAL_ENVIRONMENT, rule.busName, rule.name),
          job: job.definition,
          eventBusName: rule.busName,
          description: rule.description,
          scheduleExpression: rule.scheduleExpression,
          schedule: rule.schedule,
          eventPattern: rule.eventPattern,
          target: rule.target,
          state: 'ENABLED',
        });
      }
    }
  }

  all(): LocalRule[] {
    return [...this.#rules.values()];
  }

  get(name: string): LocalRule | undefined {
    return this.#rules.get(name);
  }

  /** Rules on a bus; EventBridge's `default` bus holds the schedule rules. */
  onBus(busName: string): LocalRule[] {
    return this.all().filter((rule) => rule.eventBusName === busName);
  }

  forJob(jobName: string): LocalRule[] {
    return this.all().filter((rule) => rule.job.name === jobName);
  }

  isEnabled(name: string): boolean {
    return this.#rules.get(name)?.state === 'ENABLED';
  }
}
