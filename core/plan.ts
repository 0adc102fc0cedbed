/**
 * The plan: everything derived from the job definitions, worked out once.
 * `infra/` builds the stacks from it, `local/` creates the same queues, rules
 * and functions from it, and `client/` and `cli/` find resources by it. No
 * layer derives a name, a queue attribute, a rule or an environment variable
 * on its own.
 *
 * @example
 * const plan = planApp(jobs, { stackName: 'bgjobs' });
 * plan.job('process').queue.name; // 'bgjobs--process'
 */
import { DEFAULT_EVENT_BUS } from './arns.ts';
import { InvalidAppError, UnknownJobError } from './errors.ts';
import type { EventPattern } from './event-pattern.ts';
import { HANDLER_ENV } from './handler-env.ts';
import type { JobDefinition } from './job.ts';
import { type AlarmPlan, planJobAlarms } from './job-alarms.ts';
import type { JobSchedule } from './job-schedule.ts';
import { metricsNamespace } from './metric-names.ts';
import {
  DEFAULT_STACK_NAME,
  NAME_SEPARATOR,
  NAME_SUFFIXES,
  physicalName,
  stackNameProblem,
} from './naming.ts';
import { nameProblems } from './plan-checks.ts';
import {
  deadLetterQueueSpec,
  jobQueueSpec,
  type QueueSpec,
  ruleDeadLetterQueueSpec,
} from './queue-spec.ts';
import { type Schedule, schedulePeriodSeconds } from './schedule.ts';

/** What happens to a queue when its stack (or the queue) is deleted or replaced. */
export type RemovalPolicy = 'retain' | 'destroy';

export interface PlanOptions {
  /** @default 'bgjobs' */
  readonly stackName?: string;
  /**
   * What a stack deletion or replacement does to job queues. Dead-letter
   * queues are always retained: they hold the only copy of a failed message.
   * @default 'retain'
   */
  readonly queueRemoval?: RemovalPolicy;
}

export interface AppPlan {
  readonly stackName: string;
  /** The stack's event bus, where event rules listen. */
  readonly eventBusName: string;
  /** Where every alarm of the app notifies. */
  readonly alarmTopicName: string;
  /** The EventBridge Scheduler group of the app's schedules and one-time runs. */
  readonly scheduleGroupName: string;
  /** The role EventBridge Scheduler assumes to send a schedule's message to a job's queue. */
  readonly schedulerRoleName: string;
  /**
   * Matches the name of every queue of the app and nothing else of it
   * (`<stack>--*`): IAM grants name it once, not a queue per job, since a
   * role's inline policies (10,240 characters) and a managed policy (6,144)
   * would not hold hundreds of ARNs.
   */
  readonly queueNamePattern: string;
  /** Matches the name of every job's one-time runs in the schedule group (`*--run-*`). */
  readonly oneTimeRunNamePattern: string;
  /** CloudWatch namespace of the jobs' own metrics (EMF), one per stack. */
  readonly metricsNamespace: string;
  /** The one DynamoDB table of idempotency keys and unique enqueues; only when some job uses either. */
  readonly idempotencyTable: IdempotencyTablePlan | undefined;
  /**
   * The overview dashboard's name in a region: dashboard names are global to
   * the account, so the region is part of it (a CDK token is fine).
   */
  overviewDashboardName(region: string): string;
  readonly jobs: readonly JobPlan[];
  /** Settings that work but go against AWS's advice, each naming its job. */
  readonly warnings: readonly string[];
  /** The plan of one job; throws UnknownJobError for a name that is not registered. */
  job(name: string): JobPlan;
}

export interface QueuePlan {
  readonly name: string;
  readonly spec: QueueSpec;
  readonly removal: RemovalPolicy;
  /** Where SQS moves a message after `maxReceiveCount` receives. */
  readonly redrive:
    | { readonly deadLetterQueueName: string; readonly maxReceiveCount: number }
    | undefined;
  /** On a dead-letter queue: the only queues allowed to use it as theirs. */
  readonly redriveAllowSourceQueueNames: readonly string[] | undefined;
}

export interface RulePlan {
  readonly kind: 'schedule' | 'events';
  readonly name: string;
  /** `default` for a schedule rule, the stack's bus for an event rule. */
  readonly busName: string;
  readonly description: string;
  readonly scheduleExpression: string | undefined;
  /** The schedule rule's expression, parsed (when it fires). */
  readonly schedule: Schedule | undefined;
  readonly eventPattern: EventPattern | undefined;
  readonly target: TargetPlan;
}

/** Where a rule or a schedule sends, and how it retries before its dead-letter queue. */
export interface TargetPlan {
  readonly queueName: string;
  readonly retryAttempts: number;
  readonly maxEventAgeSeconds: number;
  readonly deadLetterQueueName: string;
  /** A FIFO target needs a group; rules and schedules use the job's default group. */
  readonly messageGroupId: string | undefined;
}

/** An EventBridge Scheduler schedule of a job (a time zone, a window, dates, a payload, or a one-time at()). */
export interface SchedulePlan {
  /** Unique in the app's schedule group: `<job>--schedule`, `<job>--schedule-2`... */
  readonly name: string;
  readonly groupName: string;
  readonly description: string;
  readonly schedule: JobSchedule;
  readonly target: TargetPlan;
}

/** The app's table of idempotency records and unique-enqueue reservations (Powertools' item layout). */
export interface IdempotencyTablePlan {
  readonly name: string;
  /** The partition key (a string); there is no sort key. */
  readonly partitionKey: 'id';
  /** Epoch seconds after which DynamoDB deletes the item (its TTL attribute). */
  readonly ttlAttribute: 'expiration';
  /** Retained when the stack is deleted: it is what stops a retried message from running twice. */
  readonly removal: 'retain';
  /** The leading keys of every job's unique enqueues (`<stack>--*--unique`), for producers' IAM condition. */
  readonly uniqueEnqueueKeyPattern: string;
}

/**
 * Where one job keeps its keys: every item's partition key starts with
 * `keyPrefix` and `#`, so an IAM condition on `dynamodb:LeadingKeys` confines
 * the job to its own items.
 */
export interface KeySpacePlan {
  readonly tableName: string;
  readonly keyPrefix: string;
}

/**
 * A one-time run: a schedule `at(...)` in the app's group whose target sends the body
 * `enqueue` would have sent to the job's queue, deleted by Scheduler once it ran.
 */
export interface OneTimeRunPlan {
  readonly groupName: string;
  readonly queueName: string;
  readonly retryAttempts: number;
  readonly maxEventAgeSeconds: number;
  /**
   * Where Scheduler puts a run it could not deliver. Scheduler takes only a standard queue:
   * a standard job's own dead-letter queue (a redrive there sends the run to the job, body
   * unchanged); a FIFO job's rule dead-letter queue when it has one; else none.
   */
  readonly deadLetterQueueName: string | undefined;
}

export interface FunctionPlan {
  readonly name: string;
  readonly description: string;
  readonly logGroupName: string;
  readonly runtime: 'nodejs24.x';
  readonly architecture: 'arm64';
  readonly memoryMB: number;
  readonly timeoutSeconds: number;
}

export interface JobPlan {
  readonly name: string;
  readonly definition: JobDefinition;
  /** The construct id of the job's own stack, under the app's stack: a contract, derived from the job name only. */
  readonly stackId: string;
  /** The job's own CloudFormation stack, `<stack>--<job>`. */
  readonly stackName: string;
  readonly queue: QueuePlan;
  readonly deadLetterQueue: QueuePlan;
  /** Where EventBridge puts events it could not deliver; only for a job with a rule. */
  readonly ruleDeadLetterQueue: QueuePlan | undefined;
  readonly rules: readonly RulePlan[];
  /** Its EventBridge Scheduler schedules, in the app's schedule group. */
  readonly schedules: readonly SchedulePlan[];
  /** One-time runs (`enqueue` with `runAt` past 15 minutes) are schedules named with this prefix. */
  readonly oneTimeRunPrefix: string;
  /** The schedule name of the one-time run `id`: the prefix, then the id. */
  oneTimeRunName(id: string): string;
  /** The id of the one-time run a schedule of this job is named after (the inverse of `oneTimeRunName`). */
  oneTimeRunId(scheduleName: string): string;
  /** Where and how a one-time run's schedule sends: what `enqueue` gives `CreateSchedule`. */
  readonly oneTimeRuns: OneTimeRunPlan;
  readonly function: FunctionPlan;
  readonly eventSourceMapping: {
    readonly batchSize: number;
    readonly maxBatchingWindowSeconds: number;
    readonly maxConcurrency: number;
    readonly reportBatchItemFailures: true;
  };
  /** The handler's idempotency records: only for a job with `idempotency`. */
  readonly idempotency: (KeySpacePlan & { readonly ttlSeconds: number }) | undefined;
  /** Reservations of `enqueue(..., { uniqueKey })`: only for a job with `uniqueEnqueues`. */
  readonly uniqueEnqueues: KeySpacePlan | undefined;
  /** One alarm per concern, each notifying the app's alarm topic. */
  readonly alarms: readonly AlarmPlan[];
  /** The name of the job's own dashboard (when enabled) in a region. */
  dashboardName(region: string): string;
}

/** EventBridge's delivery policy for an event rule's SQS target, set explicitly (AWS's defaults are implicit). */
export const EVENT_RULE_TARGET_RETRY = { retryAttempts: 185, maxEventAgeSeconds: 86_400 } as const;
/** EventBridge accepts a maximum event age from 60 s to 24 h. */
const MIN_EVENT_AGE_SECONDS = 60;
/** Below this, records the handler never started still use up receives (AWS advises at least 5 for Lambda). */
export const ADVISED_MIN_RECEIVE_COUNT = 5;

/** Between a job's name and a one-time run's random id. */
const ONE_TIME_RUN_INFIX = `${NAME_SEPARATOR}run-`;

/** Plans every job of an app; throws InvalidAppError listing every problem at once. */
export function planApp(jobs: readonly JobDefinition[], options: PlanOptions = {}): AppPlan {
  const stackName = options.stackName ?? DEFAULT_STACK_NAME;
  const stackProblem = stackNameProblem(stackName);
  if (stackProblem) throw new InvalidAppError(stackName, [stackProblem]);
  const eventBusName = physicalName(stackName, NAME_SUFFIXES.eventBus);
  const scheduleGroupName = physicalName(stackName, NAME_SUFFIXES.scheduleGroup);
  const usesTable = jobs.some((job) => job.idempotency || job.settings.uniqueEnqueues);
  const idempotencyTable: IdempotencyTablePlan | undefined = usesTable
    ? {
        name: physicalName(stackName, NAME_SUFFIXES.idempotencyTable),
        partitionKey: 'id',
        ttlAttribute: 'expiration',
        removal: 'retain',
        uniqueEnqueueKeyPattern: physicalName(stackName, '*', NAME_SUFFIXES.uniqueEnqueueKeys),
      }
    : undefined;
  const plans = jobs.map((job) =>
    planJob(
      job,
      { stackName, eventBusName, scheduleGroupName, tableName: idempotencyTable?.name },
      options,
    ),
  );
  const problems = nameProblems(stackName, plans);
  if (problems.length > 0) throw new InvalidAppError(stackName, problems);
  const byName = new Map(plans.map((plan) => [plan.name, plan]));
  return {
    stackName,
    eventBusName,
    alarmTopicName: physicalName(stackName, NAME_SUFFIXES.alarmTopic),
    scheduleGroupName,
    schedulerRoleName: physicalName(stackName, NAME_SUFFIXES.schedulerRole),
    queueNamePattern: physicalName(stackName, '*'),
    oneTimeRunNamePattern: `*${ONE_TIME_RUN_INFIX}*`,
    metricsNamespace: metricsNamespace(stackName),
    idempotencyTable,
    overviewDashboardName: (region) => physicalName(stackName, region),
    jobs: plans,
    warnings: plans.flatMap(warningsOf),
    job: (name) => {
      const plan = byName.get(name);
      if (!plan) throw new UnknownJobError(name, [...byName.keys()]);
      return plan;
    },
  };
}

function planJob(
  job: JobDefinition,
  app: {
    stackName: string;
    eventBusName: string;
    scheduleGroupName: string;
    tableName: string | undefined;
  },
  options: PlanOptions,
): JobPlan {
  const { stackName, eventBusName } = app;
  const { settings } = job;
  const base = physicalName(stackName, job.name);
  const fifoSuffix = settings.fifo ? '.fifo' : '';
  const queueName = `${base}${fifoSuffix}`;
  const deadLetterQueueName = `${physicalName(stackName, job.name, NAME_SUFFIXES.deadLetterQueue)}${fifoSuffix}`;
  const ruleDeadLetterQueueName = physicalName(
    stackName,
    job.name,
    NAME_SUFFIXES.ruleDeadLetterQueue,
  );
  const oneTimeRunPrefix = `${job.name}${ONE_TIME_RUN_INFIX}`;
  const target = (maxEventAgeSeconds: number) => ({
    queueName,
    retryAttempts: EVENT_RULE_TARGET_RETRY.retryAttempts,
    maxEventAgeSeconds,
    deadLetterQueueName: ruleDeadLetterQueueName,
    messageGroupId: settings.fifo?.defaultGroupId,
  });
  const rules: RulePlan[] = [];
  const schedules: SchedulePlan[] = [];
  job.schedules.forEach((schedule, i) => {
    // The first schedule keeps the plain name, so adding a second renames nothing.
    const suffix = i === 0 ? NAME_SUFFIXES.scheduleRule : `${NAME_SUFFIXES.scheduleRule}-${i + 1}`;
    // A run still undelivered when the next one is due is stale: drop it into the dead-letter queue.
    const period =
      schedulePeriodSeconds(schedule.parsed) ?? EVENT_RULE_TARGET_RETRY.maxEventAgeSeconds;
    const maxEventAge = Math.min(
      EVENT_RULE_TARGET_RETRY.maxEventAgeSeconds,
      Math.max(MIN_EVENT_AGE_SECONDS, period),
    );
    if (schedule.service === 'rule') {
      rules.push({
        kind: 'schedule',
        name: physicalName(stackName, job.name, suffix),
        busName: DEFAULT_EVENT_BUS,
        description: `Starts the bgjobs job "${job.name}" on ${schedule.expression} (UTC)`,
        scheduleExpression: schedule.expression,
        schedule: schedule.parsed,
        eventPattern: undefined,
        target: target(maxEventAge),
      });
    } else {
      schedules.push({
        name: `${job.name}${NAME_SEPARATOR}${suffix}`,
        groupName: app.scheduleGroupName,
        description: `Starts the bgjobs job "${job.name}" on ${schedule.expression} (${schedule.timeZone})`,
        schedule,
        target: target(maxEventAge),
      });
    }
  });
  if (job.events) {
    rules.push({
      kind: 'events',
      name: physicalName(stackName, job.name, NAME_SUFFIXES.eventRule),
      busName: eventBusName,
      description: `Starts the bgjobs job "${job.name}" on matching events`,
      scheduleExpression: undefined,
      schedule: undefined,
      eventPattern: job.events,
      target: target(EVENT_RULE_TARGET_RETRY.maxEventAgeSeconds),
    });
  }
  return {
    name: job.name,
    definition: job,
    stackId: `Job-${job.name}`,
    stackName: base,
    queue: {
      name: queueName,
      spec: jobQueueSpec(settings),
      removal: options.queueRemoval ?? 'retain',
      redrive: { deadLetterQueueName, maxReceiveCount: settings.maxReceiveCount },
      redriveAllowSourceQueueNames: undefined,
    },
    deadLetterQueue: {
      name: deadLetterQueueName,
      spec: deadLetterQueueSpec(settings),
      removal: 'retain',
      redrive: undefined,
      redriveAllowSourceQueueNames: [queueName],
    },
    ruleDeadLetterQueue: job.hasRule
      ? {
          name: ruleDeadLetterQueueName,
          spec: ruleDeadLetterQueueSpec(),
          removal: 'retain',
          redrive: undefined,
          // EventBridge, not a queue, sends here: no queue may redrive into it.
          redriveAllowSourceQueueNames: [],
        }
      : undefined,
    rules,
    schedules,
    oneTimeRunPrefix,
    oneTimeRunName: (id) => `${oneTimeRunPrefix}${id}`,
    oneTimeRunId: (scheduleName) => scheduleName.slice(oneTimeRunPrefix.length),
    oneTimeRuns: {
      groupName: app.scheduleGroupName,
      queueName,
      retryAttempts: EVENT_RULE_TARGET_RETRY.retryAttempts,
      maxEventAgeSeconds: EVENT_RULE_TARGET_RETRY.maxEventAgeSeconds,
      deadLetterQueueName: settings.fifo
        ? job.hasRule
          ? ruleDeadLetterQueueName
          : undefined
        : deadLetterQueueName,
    },
    function: {
      name: base,
      description: `bgjobs job "${job.name}"`,
      logGroupName: `/aws/lambda/${base}`,
      runtime: 'nodejs24.x',
      architecture: 'arm64',
      memoryMB: settings.memoryMB,
      timeoutSeconds: settings.timeoutSeconds,
    },
    eventSourceMapping: {
      batchSize: settings.batchSize,
      maxBatchingWindowSeconds: settings.maxBatchingWindowSeconds,
      maxConcurrency: settings.maxConcurrency,
      reportBatchItemFailures: true,
    },
    idempotency:
      job.idempotency && app.tableName
        ? { tableName: app.tableName, keyPrefix: base, ttlSeconds: job.idempotency.ttlSeconds }
        : undefined,
    uniqueEnqueues:
      settings.uniqueEnqueues && app.tableName
        ? {
            tableName: app.tableName,
            keyPrefix: physicalName(stackName, job.name, NAME_SUFFIXES.uniqueEnqueueKeys),
          }
        : undefined,
    alarms: planJobAlarms(settings, {
      stackName,
      jobName: job.name,
      queueName,
      deadLetterQueueName,
      functionName: base,
      ruleNames: rules.map((rule) => rule.name),
      ruleDeadLetterQueueName: job.hasRule ? ruleDeadLetterQueueName : undefined,
    }),
    dashboardName: (region) => physicalName(stackName, job.name, region),
  };
}

/**
 * The variables the stack sets on a job's function, and the local runtime on
 * its worker: the queue URLs are CDK tokens on AWS and real URLs locally.
 */
export function functionEnvironment(
  app: Pick<AppPlan, 'metricsNamespace'>,
  job: JobPlan,
  urls: { readonly queueUrl: string; readonly deadLetterQueueUrl: string },
): Record<string, string> {
  return {
    [HANDLER_ENV.jobName]: job.name,
    [HANDLER_ENV.queueUrl]: urls.queueUrl,
    [HANDLER_ENV.deadLetterQueueUrl]: urls.deadLetterQueueUrl,
    POWERTOOLS_SERVICE_NAME: job.name,
    POWERTOOLS_METRICS_NAMESPACE: app.metricsNamespace,
    NODE_OPTIONS: '--enable-source-maps',
    ...(job.idempotency && {
      [HANDLER_ENV.idempotencyTable]: job.idempotency.tableName,
      [HANDLER_ENV.idempotencyKeyPrefix]: job.idempotency.keyPrefix,
    }),
  };
}

function warningsOf(plan: JobPlan): string[] {
  const { maxReceiveCount } = plan.definition.settings;
  if (maxReceiveCount >= ADVISED_MIN_RECEIVE_COUNT) return [];
  return [
    `job "${plan.name}": maxReceiveCount is ${maxReceiveCount}; AWS advises at least ${ADVISED_MIN_RECEIVE_COUNT} for a queue that feeds Lambda: records the handler never started (near the timeout, or behind a failed record of the same FIFO group) use up receives too, and can reach the dead-letter queue without ever being attempted`,
  ];
}
