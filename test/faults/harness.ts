import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { JobDefinition } from '../../core/job.ts';
import type { LocalRuntime } from '../../local/runtime.ts';
import { LOCAL_CREDENTIALS, startIsolatedRuntime } from '../e2e/harness.ts';

export const FAULT_JOBS_DIR = path.join(import.meta.dirname, 'fixtures', 'jobs');

export async function startFaultRuntime(
  jobs: readonly JobDefinition[],
  options: { sqsEndpoint?: string; dynamodbEndpoint?: string } = {},
): Promise<{ runtime: LocalRuntime; sqs: SQSClient; lines: string[] }> {
  const lines: string[] = [];
  const runtime = await startIsolatedRuntime({
    jobs,
    jobsDir: FAULT_JOBS_DIR,
    sqsEndpoint: options.sqsEndpoint,
    dynamodbEndpoint: options.dynamodbEndpoint,
    shutdownGraceMs: 1000,
    log: (line) => lines.push(line),
  });
  const sqs = new SQSClient({
    endpoint: runtime.sqsEndpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  return { runtime, sqs, lines };
}

/** Message ids a fixture job appended to its log file, duplicates included. */
export function loggedIds(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}
