import { existsSync } from 'node:fs';
import path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, type OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BgjobsError } from '../core/errors.ts';
import { type AppPlan, functionEnvironment, type JobPlan } from '../core/plan.ts';
import { JOB_BUNDLING, jobEsbuildArgs, PROJECT_ROOT } from '../functions/bundling.ts';

export interface JobFunctionProps {
  readonly app: AppPlan;
  /** The job's plan: function name, configuration, environment and event source mapping. */
  readonly plan: JobPlan;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  /** The folder holding `<job name>.ts` for each job. */
  readonly jobsDir: string;
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The Lambda function that runs a job: one bundle per job (nodejs24.x, arm64,
 * ESM, minified, source maps), fed by the job's queue through an event source
 * mapping with partial batch responses and maximum concurrency.
 */
export class JobFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly eventSource: SqsEventSource;

  constructor(scope: Construct, id: string, props: JobFunctionProps) {
    super(scope, id);
    const { plan } = props;
    const job = plan.definition;
    const jobFile = path.join(props.jobsDir, `${job.name}.ts`);
    if (!existsSync(jobFile)) {
      throw new BgjobsError(
        `job "${job.name}": its file ${jobFile} does not exist; a job lives in jobs/<name>.ts, named after the job`,
      );
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: plan.function.logGroupName,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A role of its own instead of AWSLambdaBasicExecutionRole: logs to this group only.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the bgjobs job "${job.name}"`,
    });
    this.logGroup.grantWrite(role);

    this.function = new NodejsFunction(this, 'Function', {
      functionName: plan.function.name,
      description: plan.function.description,
      entry: JOB_BUNDLING.entry,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: plan.function.memoryMB,
      timeout: Duration.seconds(plan.function.timeoutSeconds),
      role,
      logGroup: this.logGroup,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      environment: functionEnvironment(props.app, plan, {
        queueUrl: props.queue.queueUrl,
        deadLetterQueueUrl: props.deadLetterQueue.queueUrl,
      }),
      // functions/bundling.ts, as NodejsFunction's props: the local runtime builds the same bundle.
      bundling: {
        format: JOB_BUNDLING.format as OutputFormat,
        target: JOB_BUNDLING.target,
        minify: JOB_BUNDLING.minify,
        keepNames: JOB_BUNDLING.keepNames,
        sourceMap: JOB_BUNDLING.sourceMap,
        externalModules: [...JOB_BUNDLING.externalModules],
        mainFields: [...JOB_BUNDLING.mainFields],
        banner: JOB_BUNDLING.banner,
        esbuildArgs: jobEsbuildArgs(jobFile, job),
      },
    });

    const mapping = plan.eventSourceMapping;
    this.eventSource = new SqsEventSource(props.queue, {
      batchSize: mapping.batchSize,
      maxBatchingWindow:
        mapping.maxBatchingWindowSeconds > 0
          ? Duration.seconds(mapping.maxBatchingWindowSeconds)
          : undefined,
      maxConcurrency: mapping.maxConcurrency,
      reportBatchItemFailures: mapping.reportBatchItemFailures,
    });
    this.function.addEventSource(this.eventSource);
    props.deadLetterQueue.grantSendMessages(this.function);
  }
}
