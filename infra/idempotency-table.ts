import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { BgjobsError } from '../core/errors.ts';
import type { AppPlan, JobPlan, KeySpacePlan } from '../core/plan.ts';
import { grantKeySpace } from './key-space-grant.ts';

export interface IdempotencyTableProps {
  /** The app's plan: the table's name, key schema and TTL attribute (`plan.idempotencyTable`). */
  readonly plan: AppPlan;
  /**
   * Continuous backups, restorable to any second of the last 35 days. The
   * table holds only keys that expire (within a job's TTL or a unique
   * enqueue's window), so most apps need none.
   * @default false
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * A customer managed KMS key for the table. Only this construct's grants
   * (`grantRecords`, `grantUniqueEnqueues`) include the key's use: the job
   * stacks' grants (`grantKeySpace` on `Table.fromTableName`) and the shared
   * stack's producer policy name the table by its name and carry no key, so
   * their grantees need the key's use granted another way.
   * @default - encrypted with the AWS owned key (DynamoDB's default, at no charge)
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The app's one table of idempotency records and unique-enqueue
 * reservations: on-demand capacity, TTL on the plan's attribute, encrypted,
 * retained when the stack goes, in the app's stack. Each grant confines its
 * grantee to the items of one job (`dynamodb:LeadingKeys` on the job's key
 * prefix); a job's stack grants its function the same way by the table's name
 * (`grantKeySpace`), without a reference across stacks, and so without the
 * table's customer managed key, if it has one (see `encryptionKey`).
 *
 * @example
 * const keys = new IdempotencyTable(stack, 'Idempotency', { plan });
 * keys.grantRecords(jobFunction, plan.job('charge'));
 * keys.grantUniqueEnqueues(producerRole, plan.job('report'));
 */
export class IdempotencyTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: IdempotencyTableProps) {
    super(scope, id);
    const spec = props.plan.idempotencyTable;
    if (!spec) {
      throw new BgjobsError(
        `plan.idempotencyTable is undefined: no job of stack "${props.plan.stackName}" has idempotency or uniqueEnqueues, so the app needs no table`,
      );
    }
    const pointInTimeRecovery = props.pointInTimeRecovery ?? false;
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: spec.name,
      partitionKey: { name: spec.partitionKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: spec.ttlAttribute,
      encryption: props.encryptionKey
        ? dynamodb.TableEncryption.CUSTOMER_MANAGED
        : dynamodb.TableEncryption.DEFAULT,
      encryptionKey: props.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: pointInTimeRecovery },
      // What stops a retried message from running twice: never deleted with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (!pointInTimeRecovery) {
      Validations.of(this.table).acknowledge({
        id: 'AwsSolutions-DDB3',
        reason:
          'Idempotency keys and unique-enqueue reservations expire within their TTL; losing them can only let a duplicate through, which at-least-once delivery allows anyway. pointInTimeRecovery: true turns backups on.',
      });
    }
  }

  /** Lets a job's function lock, complete and release its own idempotency records, and no other job's. */
  grantRecords(grantee: iam.IGrantable, job: JobPlan): iam.Grant {
    return this.#grant(grantee, job.idempotency, `job "${job.name}" has no idempotency`);
  }

  /** Lets a producer reserve and record unique enqueues of one job, and no other job's. */
  grantUniqueEnqueues(grantee: iam.IGrantable, job: JobPlan): iam.Grant {
    return this.#grant(grantee, job.uniqueEnqueues, `job "${job.name}" has no uniqueEnqueues`);
  }

  #grant(grantee: iam.IGrantable, space: KeySpacePlan | undefined, missing: string): iam.Grant {
    if (!space) throw new BgjobsError(`${missing}; allowed: a job whose plan has that key space`);
    return grantKeySpace(grantee, this.table, space);
  }
}
