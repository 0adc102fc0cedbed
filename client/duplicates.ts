import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_PORTS, localEndpoint } from '../core/local-environment.ts';
import { JOB_METRICS } from '../core/metric-names.ts';
import { loopbackEndpoint } from './local-endpoint.ts';

/** The window `bgjobs status` counts suppressed duplicates over. */
export const DUPLICATES_WINDOW_SECONDS = 86_400;

type Duplicates = (jobName: string, metricsNamespace: string) => Promise<number>;

/**
 * How many records of an idempotent job were acknowledged as duplicates in the
 * last day. On AWS: the sum of the jobs' `DuplicatesSuppressed` EMF metric in
 * CloudWatch. On the local runtime (its SQS endpoint on this machine): the
 * runtime's own count from the outcomes, read from its dashboard's API.
 */
export function duplicatesReader(
  sqs: SQSClient,
  options: { cloudWatch?: CloudWatchClient; dashboardUrl?: string } = {},
): Duplicates {
  let cloudWatch = options.cloudWatch;
  return async (jobName, namespace) => {
    if (await loopbackEndpoint(sqs)) {
      return fromLocalRuntime(
        options.dashboardUrl ??
          process.env.BGJOBS_DASHBOARD_URL ??
          localEndpoint(LOCAL_PORTS.dashboard),
        jobName,
      );
    }
    cloudWatch ??= new CloudWatchClient({});
    return fromCloudWatch(cloudWatch, namespace, jobName);
  };
}

async function fromLocalRuntime(dashboardUrl: string, jobName: string): Promise<number> {
  const response = await fetch(new URL('/api/duplicates', dashboardUrl));
  if (!response.ok) throw new Error(`${dashboardUrl} answered ${response.status}`);
  const body = (await response.json()) as { jobs?: Record<string, unknown> };
  const count = body.jobs?.[jobName];
  if (typeof count !== 'number') {
    throw new Error(`the local runtime at ${dashboardUrl} does not run job "${jobName}"`);
  }
  return count;
}

async function fromCloudWatch(
  cloudWatch: CloudWatchClient,
  namespace: string,
  jobName: string,
): Promise<number> {
  const end = new Date();
  const { Datapoints = [] } = await cloudWatch.send(
    new GetMetricStatisticsCommand({
      Namespace: namespace,
      MetricName: JOB_METRICS.duplicatesSuppressed,
      // Powertools' EMF dimension: the service, which bgjobs sets to the job name.
      Dimensions: [{ Name: 'service', Value: jobName }],
      StartTime: new Date(end.getTime() - DUPLICATES_WINDOW_SECONDS * 1000),
      EndTime: end,
      Period: 3600,
      Statistics: ['Sum'],
    }),
  );
  return Datapoints.reduce((sum, point) => sum + (point.Sum ?? 0), 0);
}
