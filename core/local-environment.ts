/**
 * Where the local runtime lives, in one place: the account and region it
 * answers as (what fauxqs and the AWS CLI use with dummy credentials), the
 * ports of its endpoints, and the folder of its state. `npm start`, the
 * runtime, the CLI's `--local` and the tests read these.
 */

/** The partition, region and account of ARNs, as AWS builds them. */
export interface AwsEnvironment {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

export const LOCAL_ENVIRONMENT: AwsEnvironment = {
  partition: 'aws',
  region: 'us-east-1',
  account: '000000000000',
};

/** Dummy credentials: the local endpoints do not check signatures. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Default ports of the local endpoints, all on 127.0.0.1. */
export const LOCAL_PORTS = {
  sqs: 9324,
  events: 9325,
  lambda: 9326,
  dashboard: 9327,
  scheduler: 9328,
} as const;

/** Where the local runtime keeps its state (queued messages, bundles), relative to the project. */
export const LOCAL_DATA_DIR = '.bgjobs/data';

/** `http://127.0.0.1:PORT` of a local endpoint. */
export function localEndpoint(port: number): string {
  return `http://127.0.0.1:${port}`;
}
