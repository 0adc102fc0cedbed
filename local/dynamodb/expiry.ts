/**
 * Deletes expired items, as DynamoDB's TTL does in the background: an item
 * whose TTL attribute is a Number of epoch seconds before now (and not more
 * than five years before: DynamoDB leaves those) is deleted by a sweep, unless
 * it was given a later time meanwhile. DynamoDB takes up to a few days; here a
 * sweep runs every `intervalMs`. Until then, as on AWS, reads still return the
 * item: whoever reads must check the time (Powertools does).
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  paginateScan,
} from '@aws-sdk/client-dynamodb';
import { toError } from '../../core/errors.ts';
import type { TimeToLiveSettings } from './time-to-live.ts';

/** DynamoDB does not delete items whose TTL is more than five years in the past. */
const OLDEST_DELETED_SECONDS = 5 * 365 * 86_400;

/** Local TTL sweeps: once a minute unless told otherwise. */
export const DEFAULT_EXPIRY_SWEEP_MS = 60_000;

export interface ExpirySweeper {
  /** One sweep now; resolves with the number of items deleted. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export function startExpirySweeper(options: {
  readonly client: DynamoDBClient;
  readonly settings: TimeToLiveSettings;
  readonly intervalMs: number;
  readonly now?: () => number;
  readonly onError?: (error: Error) => void;
}): ExpirySweeper {
  const now = options.now ?? Date.now;
  let running: Promise<number> = Promise.resolve(0);
  const sweep = () => {
    running = running.then(async () => {
      let deleted = 0;
      for (const [table, { attributeName }] of options.settings.enabled()) {
        deleted += await sweepTable(options.client, table, attributeName, now() / 1000);
      }
      return deleted;
    });
    return running;
  };
  const timer = setInterval(() => {
    sweep().catch((error: unknown) => options.onError?.(toError(error)));
  }, options.intervalMs);
  timer.unref();
  return {
    sweep,
    stop: async () => {
      clearInterval(timer);
      await running.catch(() => 0);
    },
  };
}

async function sweepTable(
  client: DynamoDBClient,
  table: string,
  attributeName: string,
  nowSeconds: number,
): Promise<number> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
  const keyNames = (Table?.KeySchema ?? []).map((k) => k.AttributeName ?? '');
  const names = Object.fromEntries(keyNames.map((name, i) => [`#k${i}`, name]));
  const expiredBefore = { N: String(nowSeconds) };
  let deleted = 0;
  const pages = paginateScan(
    { client },
    {
      TableName: table,
      // A Number comparison: items whose TTL attribute is not a Number never match, as on AWS.
      FilterExpression: '#ttl < :now AND #ttl >= :oldest',
      ProjectionExpression: [...Object.keys(names), '#ttl'].join(', '),
      ExpressionAttributeNames: { ...names, '#ttl': attributeName },
      ExpressionAttributeValues: {
        ':now': expiredBefore,
        ':oldest': { N: String(nowSeconds - OLDEST_DELETED_SECONDS) },
      },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const key = Object.fromEntries(keyNames.map((name) => [name, item[name]]));
      try {
        await client.send(
          new DeleteItemCommand({
            TableName: table,
            Key: key as never,
            ConditionExpression: '#ttl < :now',
            ExpressionAttributeNames: { '#ttl': attributeName },
            ExpressionAttributeValues: { ':now': expiredBefore },
          }),
        );
        deleted += 1;
      } catch (error) {
        // Given a later time since the scan: not expired any more.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }
  return deleted;
}
