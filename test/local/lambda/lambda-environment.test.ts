import { describe, expect, it } from 'vitest';
import { functionEnvironment, planApp } from '../../../core/plan.ts';
import { processJob } from '../../../jobs/process.ts';
import {
  lambdaEnvironment,
  logStreamName,
  queueUrlOnEndpoint,
} from '../../../local/lambda/lambda-environment.ts';

const app = planApp([processJob]);
const variables = functionEnvironment(app, app.job('process'), {
  queueUrl: 'http://127.0.0.1:9324/000000000000/bgjobs--process',
  deadLetterQueueUrl: 'http://127.0.0.1:9324/000000000000/bgjobs--process--dlq',
});
const fn = {
  functionName: 'bgjobs--process',
  memoryMB: 512,
  region: 'us-east-1',
  codeDir: '/project/.bgjobs/bundles/jobs/process',
  variables,
  sqsEndpoint: 'http://127.0.0.1:9324',
};

describe("a local execution environment's variables", () => {
  it("are Lambda's defined variables, the stack's variables and the SQS endpoint, and nothing else", () => {
    const env = lambdaEnvironment(fn, '2026/12/01/[$LATEST]abc');
    expect(Object.keys(env).sort()).toEqual(
      [
        '_HANDLER',
        'AWS_EXECUTION_ENV',
        'AWS_LAMBDA_FUNCTION_NAME',
        'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
        'AWS_LAMBDA_FUNCTION_VERSION',
        'AWS_LAMBDA_INITIALIZATION_TYPE',
        'AWS_LAMBDA_LOG_GROUP_NAME',
        'AWS_LAMBDA_LOG_STREAM_NAME',
        'AWS_REGION',
        'AWS_DEFAULT_REGION',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'LAMBDA_TASK_ROOT',
        'TZ',
        'LANG',
        'PATH',
        'AWS_ENDPOINT_URL_SQS',
        ...Object.keys(variables),
      ].sort(),
    );
    expect(env).toMatchObject({
      ...variables,
      _HANDLER: 'index.handler',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_FUNCTION_NAME: 'bgjobs--process',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/bgjobs--process',
      AWS_LAMBDA_LOG_STREAM_NAME: '2026/12/01/[$LATEST]abc',
      AWS_REGION: 'us-east-1',
      LAMBDA_TASK_ROOT: '/project/.bgjobs/bundles/jobs/process',
      TZ: ':UTC',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:9324',
    });
  });

  it('hold the variables the stack sets on every function, by the one function both read', () => {
    expect(variables).toEqual({
      BGJOBS_JOB_NAME: 'process',
      BGJOBS_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/bgjobs--process',
      BGJOBS_DEAD_LETTER_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/bgjobs--process--dlq',
      POWERTOOLS_SERVICE_NAME: 'process',
      POWERTOOLS_METRICS_NAMESPACE: 'bgjobs/bgjobs',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('name a log stream as Lambda does: the day, the version and 32 hex digits', () => {
    expect(logStreamName(new Date('2026-12-01T23:59:59Z'))).toMatch(
      /^2026\/12\/01\/\[\$LATEST\][0-9a-f]{32}$/,
    );
  });

  it("give queue URLs on the endpoint's origin, which an SDK configured by the environment calls", () => {
    expect(
      queueUrlOnEndpoint(
        'http://sqs.us-east-1.localhost:9324/000000000000/bgjobs--process',
        'http://127.0.0.1:9324',
      ),
    ).toBe('http://127.0.0.1:9324/000000000000/bgjobs--process');
  });
});
