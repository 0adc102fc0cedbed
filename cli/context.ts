import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { type BgjobsClient, createClient } from '../client/index.ts';
import { UnknownJobError } from '../core/errors.ts';
import type { JobDefinition } from '../core/job.ts';
import { LOCAL_CREDENTIALS, LOCAL_PORTS, localEndpoint } from '../core/local-environment.ts';
import { type AppPlan, planApp } from '../core/plan.ts';

export type GlobalOptions = {
  readonly stack: string;
  readonly local?: boolean;
  readonly json?: boolean;
  readonly region?: string;
  readonly profile?: string;
  readonly debug?: boolean;
};

/** Where `--local` points when the standard AWS_ENDPOINT_URL_* variables do not say otherwise. */
export const LOCAL_ENDPOINTS = {
  AWS_ENDPOINT_URL_SQS: localEndpoint(LOCAL_PORTS.sqs),
  AWS_ENDPOINT_URL_EVENTBRIDGE: localEndpoint(LOCAL_PORTS.events),
  AWS_ENDPOINT_URL_LAMBDA: localEndpoint(LOCAL_PORTS.lambda),
  AWS_ENDPOINT_URL_SCHEDULER: localEndpoint(LOCAL_PORTS.scheduler),
} as const;

/** What every command gets: the global options, the registered jobs, a client, and output. */
export interface Cli {
  readonly options: GlobalOptions;
  readonly jobs: readonly JobDefinition[];
  /** The app's plan for `--stack`: every name the commands show or call. */
  readonly plan: AppPlan;
  /** The registered job of that name; throws UnknownJobError (exit 2) otherwise. */
  job(name: string): JobDefinition;
  /**
   * The library client, built once from the standard AWS environment; with
   * `fakes`, a separate client on those SDK clients (dry runs).
   */
  client(fakes?: {
    readonly sqs: SQSClient;
    readonly scheduler?: SchedulerClient;
  }): BgjobsClient<readonly JobDefinition[]>;
  /** Prints `json` with --json, else the human text (built only when needed). */
  print(json: unknown, human: () => string): void;
  /** A warning or note on stderr, so that stdout stays the result. */
  note(line: string): void;
}

export async function openCli(command: Command): Promise<Cli> {
  const options = command.optsWithGlobals<GlobalOptions>();
  applyAwsEnvironment(options, process.env);
  // Imported here, so that an invalid job definition is reported like any other error.
  const { jobs }: { jobs: readonly JobDefinition[] } = await import('../jobs/index.ts');
  const plan = planApp(jobs, { stackName: options.stack });
  let client: BgjobsClient<readonly JobDefinition[]> | undefined;
  return {
    options,
    jobs,
    plan,
    job: (name) => {
      const job = jobs.find((j) => j.name === name);
      if (!job)
        throw new UnknownJobError(
          name,
          jobs.map((j) => j.name),
        );
      return job;
    },
    client: (fakes) => {
      if (fakes) return createClient({ jobs, stackName: options.stack, ...fakes });
      client ??= createClient({ jobs, stackName: options.stack });
      return client;
    },
    print: (json, human) => {
      process.stdout.write(`${options.json ? JSON.stringify(json, null, 2) : human()}\n`);
    },
    note: (line) => process.stderr.write(`${line}\n`),
  };
}

/**
 * Passes --region and --profile to the SDK the standard way (AWS_REGION,
 * AWS_PROFILE); --local fills in the local endpoints and dummy credentials
 * where the environment does not set them.
 */
export function applyAwsEnvironment(options: GlobalOptions, env: NodeJS.ProcessEnv): void {
  if (options.region) env.AWS_REGION = options.region;
  if (options.profile) env.AWS_PROFILE = options.profile;
  if (!options.local) return;
  for (const [name, url] of Object.entries(LOCAL_ENDPOINTS)) env[name] ??= url;
  if (!env.AWS_ACCESS_KEY_ID && !options.profile) {
    env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
  }
  env.AWS_REGION ??= env.AWS_DEFAULT_REGION ?? 'us-east-1';
}
