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
 * Reads and writes of the idempotency table's items whose partition keys
 * start with `<keyPrefixPattern>#` (`dynamodb:LeadingKeys`), and no others.
 * The pattern may hold IAM's `*`, to cover the same key space of many jobs.
 *
 * @example
 * const statement = keySpaceStatement(tableArn, 'bgjobs--*--unique');
 */
export function keySpaceStatement(tableArn: string, keyPrefixPattern: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions: KEY_SPACE_ACTIONS,
    resources: [tableArn],
    conditions: {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${keyPrefixPattern}#*`] },
    },
  });
}

/**
 * Lets a grantee read and write the items of one key space of the
 * idempotency table and no others (`keySpaceStatement` on the space's
 * `keyPrefix`). A table that carries its customer managed key grants the
 * key's use too; one imported by name (`Table.fromTableName`) carries none.
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
  const statement = keySpaceStatement(table.tableArn, space.keyPrefix);
  return iam.Grant.addToPrincipal({
    grantee,
    actions: statement.actions,
    resourceArns: statement.resources,
    conditions: statement.conditions,
  });
}
