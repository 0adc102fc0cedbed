import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { BgjobsError } from '../../core/errors.ts';
import type { IdempotencyTablePlan } from '../../core/plan.ts';

/**
 * Creates the app's idempotency table as the stack does (on-demand, the
 * plan's key schema, TTL on the plan's attribute), or checks the one a
 * previous run left in the data folder. Safe to run at every start.
 */
export async function ensureIdempotencyTable(
  client: DynamoDBClient,
  table: Pick<IdempotencyTablePlan, 'name' | 'partitionKey' | 'ttlAttribute'>,
): Promise<void> {
  const existing = await describeTable(client, table.name);
  if (!existing) {
    await client.send(
      new CreateTableCommand({
        TableName: table.name,
        AttributeDefinitions: [{ AttributeName: table.partitionKey, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: table.partitionKey, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await waitUntilActive(client, table.name);
  } else {
    const keys = (existing.KeySchema ?? []).map((k) => `${k.AttributeName} (${k.KeyType})`);
    if (keys.join() !== `${table.partitionKey} (HASH)`) {
      throw new BgjobsError(
        `the local table ${table.name} has the key ${keys.join(', ')}; bgjobs needs ${table.partitionKey} (HASH). Start with --fresh to recreate it`,
      );
    }
  }
  const { TimeToLiveDescription } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: table.name }),
  );
  if (TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: table.name,
        TimeToLiveSpecification: { Enabled: true, AttributeName: table.ttlAttribute },
      }),
    );
  }
}

/** The table's description; undefined when there is no such table. */
export async function describeTable(client: DynamoDBClient, name: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, name: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await describeTable(client, name))?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new BgjobsError(`the local table ${name} did not become ACTIVE`);
}
