import type { EventPattern } from '../../core/event-pattern.ts';
import type { JobDefinition } from '../../core/job.ts';
import { jobResourceNames } from '../../core/naming.ts';

/** The local account and region: what fauxqs and the AWS CLI use with dummy credentials. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';
export const DEFAULT_BUS = 'default';

/** A rule as the stack deploys it, with a state the CLI and dashboard can change. */
export interface LocalRule {
  readonly name: string;
  readonly arn: string;
  readonly job: JobDefinition;
  readonly eventBusName: string;
  readonly scheduleExpression: string | undefined;
  readonly eventPattern: EventPattern | undefined;
  state: 'ENABLED' | 'DISABLED';
}

/** The rules of a set of jobs: schedule rules on the default bus, event rules on the stack's bus. */
export class RuleRegistry {
  readonly #rules = new Map<string, LocalRule>();

  constructor(stackName: string, busName: string, jobs: readonly JobDefinition[]) {
    for (const job of jobs) {
      const names = jobResourceNames(stackName, job.name, job.settings.fifo !== undefined);
      if (job.schedule) {
        this.#add({
          name: names.scheduleRuleName,
          job,
          eventBusName: DEFAULT_BUS,
          scheduleExpression: job.schedule.expression,
          eventPattern: undefined,
        });
      }
      if (job.events) {
        this.#add({
          name: names.eventRuleName,
          job,
          eventBusName: busName,
          scheduleExpression: undefined,
          eventPattern: job.events,
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

  #add(rule: Omit<LocalRule, 'arn' | 'state'>): void {
    const busPath = rule.eventBusName === DEFAULT_BUS ? '' : `${rule.eventBusName}/`;
    const arn = `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${busPath}${rule.name}`;
    this.#rules.set(rule.name, { ...rule, arn, state: 'ENABLED' });
  }
}
