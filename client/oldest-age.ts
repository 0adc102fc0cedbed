import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { loopbackEndpoint } from './local-endpoint.ts';
import { inspectQueue } from './queue-messages.ts';

type OldestAge = (queueName: string) => Promise<number | undefined>;

/**
 * How old the oldest message of a queue is. SQS's API does not say; on AWS
 * the figure is CloudWatch's `ApproximateAgeOfOldestMessage` (a minute behind),
 * and on the local runtime fauxqs's inspection endpoint tells it exactly.
 */
export function oldestAgeReader(sqs: SQSClient, cloudWatch?: CloudWatchClient): OldestAge {
  let client = cloudWatch;
  return async (queueName) => {
    const endpoint = await loopbackEndpoint(sqs);
    if (endpoint) return fromFauxqs(endpoint, queueName);
    client ??= new CloudWatchClient({});
    return fromCloudWatch(client, queueName);
  };
}

async function fromFauxqs(endpoint: string, queueName: string): Promise<number | undefined> {
  const messages = await inspectQueue(endpoint, queueName);
  if (!messages) return undefined;
  const sent = messages.map((m) => m.sentTimestamp);
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
