/**
 * Powertools' idempotency records in DynamoDB, with the SDK loaded on first
 * use. Powertools' own `DynamoDBPersistenceLayer` imports
 * `@aws-sdk/client-dynamodb` at the top of its module, and esbuild hoists that
 * import into every job's bundle, so every cold start would load the DynamoDB
 * client, idempotent job or not (about 40 to 100 ms measured here). This layer
 * writes the same items with the same conditions (attributes `id`,
 * `expiration`, `status`, `in_progress_expiration`), and takes the client
 * through a loader.
 */

import {
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
  IdempotencyRecordStatus,
} from '@aws-lambda-powertools/idempotency';
import {
  BasePersistenceLayer,
  IdempotencyRecord,
} from '@aws-lambda-powertools/idempotency/persistence';
import type { AttributeValue, DynamoDBClient, PutItemCommandInput } from '@aws-sdk/client-dynamodb';

type Sdk = typeof import('@aws-sdk/client-dynamodb');
type Item = Record<string, AttributeValue>;

/** Powertools' attribute names, so that its DynamoDB layer and tools read our items. */
const ATTRIBUTES = {
  key: 'id',
  expiry: 'expiration',
  inProgressExpiry: 'in_progress_expiration',
  status: 'status',
} as const;

export interface IdempotencyStoreOptions {
  readonly tableName: string;
  /** Loads the SDK and makes (or returns) the client; called on the first record. */
  readonly client: () => Promise<{ sdk: Sdk; client: DynamoDBClient }>;
}

export class IdempotencyStore extends BasePersistenceLayer {
  readonly #tableName: string;
  readonly #client: IdempotencyStoreOptions['client'];

  constructor(options: IdempotencyStoreOptions) {
    super();
    this.#tableName = options.tableName;
    this.#client = options.client;
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const { sdk, client } = await this.#client();
    const now = Date.now();
    const item: Item = {
      [ATTRIBUTES.key]: { S: record.idempotencyKey },
      [ATTRIBUTES.expiry]: { N: String(record.expiryTimestamp) },
      [ATTRIBUTES.status]: { S: record.getStatus() },
    };
    if (record.inProgressExpiryTimestamp !== undefined) {
      item[ATTRIBUTES.inProgressExpiry] = { N: String(record.inProgressExpiryTimestamp) };
    }
    // Powertools' condition: a new key, an expired one, or one whose holder ran out of time.
    const input: PutItemCommandInput = {
      TableName: this.#tableName,
      Item: item,
      ConditionExpression:
        'attribute_not_exists(#id) OR #expiry < :now OR (#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)',
      ExpressionAttributeNames: {
        '#id': ATTRIBUTES.key,
        '#expiry': ATTRIBUTES.expiry,
        '#in_progress_expiry': ATTRIBUTES.inProgressExpiry,
        '#status': ATTRIBUTES.status,
      },
      ExpressionAttributeValues: {
        ':now': { N: String(now / 1000) },
        ':now_in_millis': { N: String(now) },
        ':inprogress': { S: IdempotencyRecordStatus.INPROGRESS },
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    };
    try {
      await client.send(new sdk.PutItemCommand(input));
    } catch (error) {
      if (error instanceof sdk.ConditionalCheckFailedException) {
        throw new IdempotencyItemAlreadyExistsError(
          `Failed to put record for already existing idempotency key: ${record.idempotencyKey}`,
          error.Item ? toRecord(error.Item) : undefined,
        );
      }
      throw error;
    }
  }

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const { sdk, client } = await this.#client();
    const { Item } = await client.send(
      new sdk.GetItemCommand({
        TableName: this.#tableName,
        Key: { [ATTRIBUTES.key]: { S: idempotencyKey } },
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new IdempotencyItemNotFoundError();
    return toRecord(Item);
  }

  /** Marks the key completed. The handler's return value is not kept: bgjobs handlers return nothing. */
  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    const { sdk, client } = await this.#client();
    await client.send(
      new sdk.UpdateItemCommand({
        TableName: this.#tableName,
        Key: { [ATTRIBUTES.key]: { S: record.idempotencyKey } },
        UpdateExpression: 'SET #expiry = :expiry, #status = :status',
        ExpressionAttributeNames: { '#expiry': ATTRIBUTES.expiry, '#status': ATTRIBUTES.status },
        ExpressionAttributeValues: {
          ':expiry': { N: String(record.expiryTimestamp) },
          ':status': { S: record.getStatus() },
        },
      }),
    );
  }

  /**
   * Releases a key after a failure. Unlike Powertools' layer, only a key still
   * in progress: a late failure of an attempt whose time had run out must not
   * erase the completion of the attempt that took the key over.
   */
  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    const { sdk, client } = await this.#client();
    try {
      await client.send(
        new sdk.DeleteItemCommand({
          TableName: this.#tableName,
          Key: { [ATTRIBUTES.key]: { S: record.idempotencyKey } },
          ConditionExpression: '#status = :inprogress',
          ExpressionAttributeNames: { '#status': ATTRIBUTES.status },
          ExpressionAttributeValues: { ':inprogress': { S: IdempotencyRecordStatus.INPROGRESS } },
        }),
      );
    } catch (error) {
      // Nothing in progress to release: the key is gone or completed by another attempt.
      if (error instanceof sdk.ConditionalCheckFailedException) return;
      throw error;
    }
  }
}

function toRecord(item: Item): IdempotencyRecord {
  const number = (name: string) => {
    const value = item[name]?.N;
    return value === undefined ? undefined : Number(value);
  };
  return new IdempotencyRecord({
    idempotencyKey: item[ATTRIBUTES.key]?.S ?? '',
    status: item[ATTRIBUTES.status]?.S as IdempotencyRecordStatusValue,
    expiryTimestamp: number(ATTRIBUTES.expiry),
    inProgressExpiryTimestamp: number(ATTRIBUTES.inProgressExpiry),
  });
}

type IdempotencyRecordStatusValue =
  (typeof IdempotencyRecordStatus)[keyof typeof IdempotencyRecordStatus];
