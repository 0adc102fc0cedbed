/**
 * Unique enqueues: one message per key within a window, on standard and FIFO
 * queues alike, kept in the app's idempotency table. A producer reserves the
 * key with a conditional write, sends, then records the message id; a send
 * that fails releases the key. Another producer that finds the key sent gets
 * the message id back; one that finds it being sent waits for the outcome.
 *
 * A producer that dies after reserving and before sending holds the key only
 * for `PENDING_MS`: then another may take it over, so no key is lost. One that
 * dies after sending and before recording the id leaves the same: a second
 * enqueue past `PENDING_MS` sends again (the one duplicate this can make; an
 * idempotent job keyed by the payload runs it once all the same).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IdempotencyStoreError, toError } from '../core/errors.ts';
import type { KeySpacePlan } from '../core/plan.ts';

/** How long a reservation holds before it is sent and recorded; a send is given less than this. */
export const PENDING_MS = 30_000;
/** What the send gets of the pending time: the rest is the margin before another producer may take over. */
export const SEND_TIMEOUT_MS = 20_000;
const POLL_MS = 100;

type Sdk = typeof import('@aws-sdk/client-dynamodb');
type Item = Record<string, AttributeValue>;

/** What reserving a key found. */
export type Reservation =
  | { readonly kind: 'reserved'; readonly token: string }
  | { readonly kind: 'sent'; readonly messageId: string };

export interface UniqueKeys {
  /** Reserves `key` for `windowSeconds`, or tells the message already sent with it. */
  reserve(key: string, windowSeconds: number): Promise<Reservation>;
  /** Records the message sent under a reservation. */
  confirm(key: string, token: string, messageId: string): Promise<void>;
  /** Gives a reservation up (the send failed), unless another producer has taken it over. */
  release(key: string, token: string): Promise<void>;
}

/** The DynamoDB item id of a unique key: the job's prefix, then the key's SHA-256 (any length of key fits). */
function uniqueItemId(space: KeySpacePlan, key: string): string {
  return `${space.keyPrefix}#${createHash('sha256').update(key).digest('hex')}`;
}

export function uniqueKeys(
  space: KeySpacePlan,
  client: () => Promise<DynamoDBClient>,
  now: () => number = Date.now,
): UniqueKeys {
  const sdk = () => import('@aws-sdk/client-dynamodb');
  const call = async <T>(
    what: string,
    key: string,
    work: (s: Sdk, c: DynamoDBClient) => Promise<T>,
  ) => {
    const [s, c] = await Promise.all([sdk(), client()]);
    try {
      return await work(s, c);
    } catch (error) {
      if (error instanceof s.ConditionalCheckFailedException) throw error;
      throw new IdempotencyStoreError(
        `could not ${what} the unique key ${JSON.stringify(key)} in ${space.tableName}: ${toError(error).message}`,
        { cause: error },
      );
    }
  };
  const keyOf = (key: string) => ({ id: { S: uniqueItemId(space, key) } });

  const tryReserve = (key: string, windowSeconds: number, token: string) =>
    call('reserve', key, async (s, c) => {
      const at = now();
      try {
        await c.send(
          new s.PutItemCommand({
            TableName: space.tableName,
            Item: {
              ...keyOf(key),
              uniqueKey: { S: key },
              status: { S: 'SENDING' },
              token: { S: token },
              pending_until: { N: String(at + PENDING_MS) },
              expiration: { N: String(Math.ceil(at / 1000) + windowSeconds) },
            },
            // Free, past its window, or reserved by a producer that never finished.
            ConditionExpression:
              'attribute_not_exists(id) OR expiration < :now OR (#status = :sending AND pending_until < :nowMs)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':now': { N: String(at / 1000) },
              ':nowMs': { N: String(at) },
              ':sending': { S: 'SENDING' },
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return undefined;
      } catch (error) {
        if (error instanceof s.ConditionalCheckFailedException) return error.Item ?? {};
        throw error;
      }
    });

  const read = (key: string) =>
    call('read', key, async (s, c) => {
      const { Item } = await c.send(
        new s.GetItemCommand({ TableName: space.tableName, Key: keyOf(key), ConsistentRead: true }),
      );
      return Item;
    });

  return {
    reserve: async (key, windowSeconds) => {
      const token = randomUUID();
      for (;;) {
        let held: Item | undefined = await tryReserve(key, windowSeconds, token);
        if (!held) return { kind: 'reserved', token };
        // Being sent by another producer: wait for its message id, or for its reservation to lapse.
        while (held?.status?.S === 'SENDING' && Number(held.pending_until?.N) >= now()) {
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          held = await read(key);
        }
        if (held?.status?.S === 'SENT' && Number(held.expiration?.N) * 1000 > now()) {
          return { kind: 'sent', messageId: held.message_id?.S ?? '' };
        }
        // Gone, expired or lapsed meanwhile: try to reserve again.
      }
    },
    confirm: (key, token, messageId) =>
      call('record the message of', key, async (s, c) => {
        await c.send(
          new s.UpdateItemCommand({
            TableName: space.tableName,
            Key: keyOf(key),
            UpdateExpression: 'SET #status = :sent, message_id = :messageId REMOVE pending_until',
            ConditionExpression: '#token = :token',
            ExpressionAttributeNames: { '#status': 'status', '#token': 'token' },
            ExpressionAttributeValues: {
              ':sent': { S: 'SENT' },
              ':messageId': { S: messageId },
              ':token': { S: token },
            },
          }),
        );
      }),
    release: (key, token) =>
      call('release', key, async (s, c) => {
        try {
          await c.send(
            new s.DeleteItemCommand({
              TableName: space.tableName,
              Key: keyOf(key),
              ConditionExpression: '#token = :token',
              ExpressionAttributeNames: { '#token': 'token' },
              ExpressionAttributeValues: { ':token': { S: token } },
            }),
          );
        } catch (error) {
          // Taken over by another producer after our reservation lapsed: not ours to release.
          if (!(error instanceof s.ConditionalCheckFailedException)) throw error;
        }
      }),
  };
}
