import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import type { SQSClient } from '@aws-sdk/client-sqs';

type OldestAge = (queueName: string) => Promise<number | undefined>;

/**
 * How old the oldest message of a queue is. SQS's API does not say; on AWS
 * the figure is CloudWatch's `ApproximateAgeOfOldestMessage` (a minute behind),
 * and on the local runtime fauxqs's inspection endpoint tells it exactly.
 */
export function oldestAgeReader(sqs: SQSClient, cloudWatch?: CloudWatchClient): OldestAge {
  return async (queueName) => {
    const endpoint = await sqs.config.endpoint?.();
    if (endpoint && isLoopback(endpoint.hostname)) return fromFauxqs(endpoint, queueName);
    return fromCloudWatch(cloudWatch ?? new CloudWatchClient({}), queueName);
  };
}

function isLoopback(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

async function fromFauxqs(
  endpoint: { protocol: string; hostname: string; port?: number },
  queueName: string,
): Promise<number | undefined> {
  const base = `${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ''}`;
  const response = await fetch(`${base}/_fauxqs/queues/${encodeURIComponent(queueName)}`);
  if (!response.ok) return undefined;
  const { messages } = (await response.json()) as {
    messages?: {
      ready: { sentTimestamp: number }[];
      delayed: { sentTimestamp: number }[];
      inflight: { message: { sentTimestamp: number } }[];
    };
  };
  if (!messages) return undefined;
  const sent = [
    ...messages.ready.map((m) => m.sentTimestamp),
    ...messages.delayed.map((m) => m.sentTimestamp),
    ...messages.inflight.map((m) => m.message.sentTimestamp),
  ];
  return sent.length === 0 ? 0 : Math.round((Date.now() - Math.min(...sent)) / 1000);
}

async function fromCloudWatch(
  cloudWatch: CloudWatchClient,
  queueName: string,
): Promise<number | undefined> {
  const end = new Date();
  const { Datapoints = [] } = await cloudWatch.send(
    new GetMetricStatisticsCommand({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: queueName }],
      StartTime: new Date(end.getTime() - 10 * 60_000),
      EndTime: end,
      Period: 60,
      Statistics: ['Maximum'],
    }),
  );
  const latest = Datapoints.sort(
    (a, b) => (b.Timestamp?.getTime() ?? 0) - (a.Timestamp?.getTime() ?? 0),
  )[0];
  return latest?.Maximum;
}
