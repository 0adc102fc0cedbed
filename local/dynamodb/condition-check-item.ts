import { createRequire } from 'node:module';

interface ConditionalError {
  body?: { __type?: string; Item?: unknown };
}
interface DynaliteValidation {
  types: Record<string, unknown>;
}
interface DynaliteDb {
  checkConditional(data: Record<string, unknown>, existingItem: unknown): ConditionalError | null;
  patchedForConditionCheckItem?: true;
}

/**
 * DynamoDB returns the item that failed a condition when the request asks
 * (`ReturnValuesOnConditionCheckFailure: ALL_OLD`, used by Powertools'
 * idempotency); dynalite 4.0.0 drops the parameter. It is added to the
 * parameters dynalite keeps for the three writes that take it, and dynalite
 * checks conditions through one function of its `db` module, inside the
 * item's lock: wrapping it adds the item DynamoDB would return, read under the
 * same lock.
 */
export function returnItemOnConditionCheckFailure(): void {
  const require = createRequire(import.meta.url);
  const db = require('dynalite/db/index.js') as DynaliteDb;
  if (db.patchedForConditionCheckItem) return;
  for (const action of ['putItem', 'updateItem', 'deleteItem']) {
    const validation = require(`dynalite/validations/${action}.js`) as DynaliteValidation;
    validation.types.ReturnValuesOnConditionCheckFailure = {
      type: 'String',
      enum: ['ALL_OLD', 'NONE'],
    };
  }
  const check = db.checkConditional;
  db.checkConditional = (data, existingItem) => {
    const error = check(data, existingItem);
    if (
      error?.body?.__type?.endsWith('#ConditionalCheckFailedException') &&
      existingItem &&
      data.ReturnValuesOnConditionCheckFailure === 'ALL_OLD'
    ) {
      error.body.Item = existingItem;
    }
    return error;
  };
  db.patchedForConditionCheckItem = true;
}
