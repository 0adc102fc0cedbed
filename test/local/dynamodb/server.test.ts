import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { type DynamoDbServer, startDynamoDbServer } from '../../../local/dynamodb/server.ts';
import { ensureIdempotencyTable } from '../../../local/dynamodb/table.ts';

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function start(dataDir?: string): Promise<{ server: DynamoDbServer; db: DynamoDBClient }> {
  const server = await startDynamoDbServer({ port: 0, dataDir });
  const db = new DynamoDBClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  stops.push(async () => {
    db.destroy();
    await server.stop();
  });
  return { server, db };
}

function temporaryDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bgjobs-dynamodb-'));
  stops.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const TABLE = {
  name: 'bgjobs--idempotency',
  partitionKey: 'id',
  ttlAttribute: 'expiration',
  removal: 'retain',
} as const;

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('the embedded DynamoDB endpoint', () => {
  it('listens on 127.0.0.1 only', async () => {
    const { server } = await start();
    expect(server.endpoint).toBe(`http://127.0.0.1:${server.port}`);
    const refused = await fetch(`http://[::1]:${server.port}/`).then(
      () => false,
      () => true,
    );
    expect(refused).toBe(true);
  });

  it('creates the idempotency table as the stack does: on demand, key id, TTL on expiration', async () => {
    const { db } = await start();
    await ensureIdempotencyTable(db, TABLE);
    await ensureIdempotencyTable(db, TABLE);
    const { Table } = await db.send(new DescribeTableCommand({ TableName: TABLE.name }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const { TimeToLiveDescription } = await db.send(
      new DescribeTimeToLiveCommand({ TableName: TABLE.name }),
    );
    expect(TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiration',
    });
  });

  it('answers the TTL API as DynamoDB does: enabling twice and unknown tables are refused', async () => {
    const { db } = await start();
    await db.send(
      new CreateTableCommand({
        TableName: 'plain',
        AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const describeTtl = () => db.send(new DescribeTimeToLiveCommand({ TableName: 'plain' }));
    expect((await describeTtl()).TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'DISABLED' });
    const enable = (TableName: string) =>
      db.send(
        new UpdateTimeToLiveCommand({
          TableName,
          TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' },
        }),
      );
    expect((await enable('plain')).TimeToLiveSpecification).toEqual({
      Enabled: true,
      AttributeName: 'ttl',
    });
    await expect(enable('plain')).rejects.toThrow('TimeToLive is already enabled');
    await expect(enable('missing')).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('returns the item that failed a condition when asked (ReturnValuesOnConditionCheckFailure)', async () => {
    const { db } = await start();
    await ensureIdempotencyTable(db, TABLE);
    const item = { id: { S: 'k' }, status: { S: 'COMPLETED' } };
    await db.send(new PutItemCommand({ TableName: TABLE.name, Item: item }));
    const put = (ask: boolean) =>
      db.send(
        new PutItemCommand({
          TableName: TABLE.name,
          Item: { id: { S: 'k' } },
          ConditionExpression: 'attribute_not_exists(id)',
          ...(ask && { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const }),
        }),
      );
    const failed = await put(true).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ConditionalCheckFailedException);
    expect((failed as ConditionalCheckFailedException).Item).toEqual(item);
    const plain = await put(false).catch((error: unknown) => error);
    expect((plain as ConditionalCheckFailedException).Item).toBeUndefined();
  });

  it('deletes expired items on a sweep, as TTL does: Numbers in the past only, not over five years old', async () => {
    const { server, db } = await start();
    await ensureIdempotencyTable(db, TABLE);
    const items = {
      expired: { N: String(nowSeconds() - 10) },
      later: { N: String(nowSeconds() + 3600) },
      text: { S: String(nowSeconds() - 10) },
      ancient: { N: String(nowSeconds() - 6 * 365 * 86_400) },
    };
    for (const [id, expiration] of Object.entries(items)) {
      await db.send(
        new PutItemCommand({ TableName: TABLE.name, Item: { id: { S: id }, expiration } }),
      );
    }
    await db.send(new PutItemCommand({ TableName: TABLE.name, Item: { id: { S: 'none' } } }));

    expect(await server.sweepExpired()).toBe(1);

    const left = async (id: string) =>
      (await db.send(new GetItemCommand({ TableName: TABLE.name, Key: { id: { S: id } } })))
        .Item !== undefined;
    expect({
      expired: await left('expired'),
      later: await left('later'),
      text: await left('text'),
      ancient: await left('ancient'),
      none: await left('none'),
    }).toEqual({ expired: false, later: true, text: true, ancient: true, none: true });
  });

  it('keeps tables, items and TTL settings across a restart with the same data folder', async () => {
    const dataDir = temporaryDir();
    let { server, db } = await start(dataDir);
    await ensureIdempotencyTable(db, TABLE);
    await db.send(new PutItemCommand({ TableName: TABLE.name, Item: { id: { S: 'kept' } } }));
    db.destroy();
    await server.stop();

    ({ server, db } = await start(dataDir));
    const { Item } = await db.send(
      new GetItemCommand({ TableName: TABLE.name, Key: { id: { S: 'kept' } } }),
    );
    expect(Item).toEqual({ id: { S: 'kept' } });
    const { TimeToLiveDescription } = await db.send(
      new DescribeTimeToLiveCommand({ TableName: TABLE.name }),
    );
    expect(TimeToLiveDescription?.TimeToLiveStatus).toBe('ENABLED');
  });
});
