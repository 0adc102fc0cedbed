import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { duplicatesReader } from '../../client/duplicates.ts';

describe('suppressed duplicates on AWS (CloudWatch mocked)', () => {
  it('sums the job’s DuplicatesSuppressed metric over the last day, in the stack’s namespace', async () => {
    const cloudWatch = new CloudWatchClient({ region: 'eu-west-1' });
    const mock = mockClient(cloudWatch);
    mock.on(GetMetricStatisticsCommand).resolves({
      Datapoints: [{ Sum: 3 }, { Sum: 4 }],
    });
    const sqs = new SQSClient({ region: 'eu-west-1' });
    const before = Date.now();

    const count = await duplicatesReader(sqs, { cloudWatch })('charge', 'bgjobs/shop');

    expect(count).toBe(7);
    const input = mock.commandCalls(GetMetricStatisticsCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Namespace: 'bgjobs/shop',
      MetricName: 'DuplicatesSuppressed',
      Dimensions: [{ Name: 'service', Value: 'charge' }],
      Statistics: ['Sum'],
    });
    const windowMs = (input?.EndTime?.getTime() ?? 0) - (input?.StartTime?.getTime() ?? 0);
    expect(windowMs).toBe(86_400_000);
    expect(input?.EndTime?.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('counts no datapoints as none suppressed', async () => {
    const cloudWatch = new CloudWatchClient({ region: 'eu-west-1' });
    mockClient(cloudWatch).on(GetMetricStatisticsCommand).resolves({});
    const sqs = new SQSClient({ region: 'eu-west-1' });
    expect(await duplicatesReader(sqs, { cloudWatch })('charge', 'bgjobs/shop')).toBe(0);
  });
});
