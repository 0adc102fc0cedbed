import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { applyAwsEnvironment } from '../../cli/context.ts';
import { EXIT, errorLine, exitCodeOf, UsageError } from '../../cli/errors.ts';
import {
  BacklogFullError,
  InvalidEnqueueOptionsError,
  MessageTooLargeError,
  PayloadValidationError,
  UnknownJobError,
} from '../../core/errors.ts';

describe('applyAwsEnvironment', () => {
  it('points --local at the local runtime with dummy credentials', () => {
    const env: NodeJS.ProcessEnv = {};
    applyAwsEnvironment({ stack: 'bgjobs', local: true }, env);
    expect(env).toEqual({
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:9324',
      AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://127.0.0.1:9325',
      AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:9326',
      AWS_ENDPOINT_URL_SCHEDULER: 'http://127.0.0.1:9328',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'us-east-1',
    });
  });

  it('keeps endpoints and credentials the environment already sets', () => {
    const env: NodeJS.ProcessEnv = {
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:5000',
      AWS_ACCESS_KEY_ID: 'mine',
      AWS_SECRET_ACCESS_KEY: 'secret',
    };
    applyAwsEnvironment({ stack: 'bgjobs', local: true, region: 'eu-west-1' }, env);
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:5000',
      AWS_ACCESS_KEY_ID: 'mine',
      AWS_REGION: 'eu-west-1',
    });
  });

  it('passes --region and --profile to the SDK the standard way, and nothing else without --local', () => {
    const env: NodeJS.ProcessEnv = {};
    applyAwsEnvironment({ stack: 'bgjobs', region: 'eu-west-1', profile: 'ops' }, env);
    expect(env).toEqual({ AWS_REGION: 'eu-west-1', AWS_PROFILE: 'ops' });
  });
});

describe('exit codes', () => {
  it.each([
    [new UsageError('payload is not valid JSON'), EXIT.badInput],
    [new UnknownJobError('nope', ['process']), EXIT.badInput],
    [new PayloadValidationError('process', ['samples: too small']), EXIT.badInput],
    [new MessageTooLargeError('too large'), EXIT.badInput],
    [new InvalidEnqueueOptionsError('delaySeconds is 901'), EXIT.badInput],
    [new CommanderError(1, 'commander.unknownOption', 'unknown option'), EXIT.badInput],
    [new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), EXIT.ok],
    [new BacklogFullError('process', 120, 100), EXIT.backlogFull],
    [new Error('AccessDenied'), EXIT.failed],
  ])('%s exits %i', (error, code) => {
    expect(exitCodeOf(error)).toBe(code);
  });

  it('says what to check when nothing listens at the endpoint', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9324'), {
      code: 'ECONNREFUSED',
    });
    expect(errorLine(refused)).toBe(
      'connect ECONNREFUSED 127.0.0.1:9324: nothing listens there; is `bgjobs dev` running?',
    );
  });
});
