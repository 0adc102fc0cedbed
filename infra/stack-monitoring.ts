import { Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sns from 'aws-cdk-lib/aws-sns';
import {
  DefaultDashboardFactory,
  MonitoringFacade,
  SnsAlarmActionStrategy,
} from 'cdk-monitoring-constructs';
import { Construct, type Node } from 'constructs';
import { BgjobsError } from '../core/errors.ts';
import type { AppPlan } from '../core/plan.ts';
import type { Job } from './job.ts';
import { monitorJob } from './job-monitoring.ts';
import { MONITORING_PERIOD } from './monitoring-metrics.ts';
import { monitorOverview } from './monitoring-overview.ts';
import { MonitoringTopic } from './monitoring-topic.ts';

export interface StackMonitoringProps {
  /** The app's plan: the jobs, their names and alarm thresholds. */
  readonly plan: AppPlan;
  /** Each job's queues, function and rules, by job name. */
  readonly resources: ReadonlyMap<string, Job>;
  /**
   * An address that gets every alarm and OK notification by e-mail.
   * @default - no subscription; subscribe to the topic yourself
   */
  readonly alarmEmail?: string;
}

/**
 * The stack's monitoring, built with cdk-monitoring-constructs: one dashboard
 * named after the stack (an overview, then a section per job), each job's
 * alarms, and one SNS topic that every alarm notifies on ALARM and on OK.
 *
 * @example
 * new StackMonitoring(stack, 'Monitoring', { jobs, resources, alarmEmail: 'ops@example.com' });
 */
export class StackMonitoring extends Construct {
  /** Where every alarm sends its ALARM and OK notifications. */
  readonly alarmTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  /** Add more monitoring to the same dashboard and topic through it. */
  readonly facade: MonitoringFacade;

  constructor(scope: Construct, id: string, props: StackMonitoringProps) {
    super(scope, id);
    const { stackName } = Stack.of(this);
    this.alarmTopic = new MonitoringTopic(this, 'AlarmTopic', {
      stackName,
      topicName: props.plan.alarmTopicName,
      alarmEmail: props.alarmEmail,
    }).topic;

    const dashboards = new DefaultDashboardFactory(this, 'Dashboards', {
      dashboardNamePrefix: stackName,
      createDashboard: true,
      createSummaryDashboard: false,
      createAlarmDashboard: false,
    });
    this.facade = new MonitoringFacade(this, 'Facade', {
      metricFactoryDefaults: { period: MONITORING_PERIOD },
      alarmFactoryDefaults: {
        alarmNamePrefix: stackName,
        actionsEnabled: true,
        action: new SnsAlarmActionStrategy({
          onAlarmTopic: this.alarmTopic,
          onOkTopic: this.alarmTopic,
        }),
        // One 5-minute period over the threshold: each threshold is already "a person should look".
        datapointsToAlarm: 1,
      },
      dashboardFactory: dashboards,
    });
    if (dashboards.dashboard === undefined) {
      throw new BgjobsError('the stack dashboard was not created');
    }
    this.dashboard = dashboards.dashboard;

    const jobs = props.plan.jobs.map((plan) => {
      const resources = props.resources.get(plan.name);
      if (resources === undefined) {
        throw new BgjobsError(
          `job "${plan.name}" has no resources to monitor; create its Job first`,
        );
      }
      return { plan, resources };
    });
    monitorOverview(
      this.facade,
      props.plan,
      jobs.map(({ plan, resources }) => ({ name: plan.name, resources })),
    );
    for (const { plan, resources } of jobs) {
      monitorJob(this.facade, { app: props.plan, plan, resources });
    }
  }
}

/**
 * The context value `alarmEmail` (`cdk deploy -c alarmEmail=ops@example.com`),
 * or undefined when it is not set.
 */
export function alarmEmailFromContext(node: Node): string | undefined {
  const value: unknown = node.tryGetContext('alarmEmail');
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new BgjobsError(
      `context alarmEmail is ${JSON.stringify(value)}; allowed: one e-mail address, such as ops@example.com`,
    );
  }
  return value;
}
