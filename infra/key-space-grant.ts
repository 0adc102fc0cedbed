import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { KeySpacePlan } from '../core/plan.ts';

/** The calls on one key space: Powertools' idempotency records, and unique-enqueue reservations. */
const KEY_SPACE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];

/**
 * Lets a grantee read and write the items of one key space of the
 * idempotency table and no others: `dynamodb:LeadingKeys` confines it to
 * partition keys that start with the space's `<keyPrefix>#`. A table with a
 * customer managed key grants its use too.
 *
 * @example
 * const table = dynamodb.Table.fromTableName(jobStack, 'IdempotencyTable', plan.idempotency.tableName);
 * grantKeySpace(jobFunction, table, plan.idempotency);
 */
export function grantKeySpace(
  grantee: iam.IGrantable,
  table: dynamodb.ITable,
  space: KeySpacePlan,
): iam.Grant {
  table.encryptionKey?.grantEncryptDecrypt(grantee);
  return iam.Grant.addToPrincipal({
    grantee,
    actions: KEY_SPACE_ACTIONS,
    resourceArns: [table.tableArn],
    conditions: {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${space.keyPrefix}#*`] },
    },
  });
}
