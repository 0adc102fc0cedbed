import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { buildSync, type Message } from 'esbuild';
import { BgjobsError } from '../core/errors.ts';
import {
  type BundledJobSource,
  esbuildOptions,
  JOB_BUNDLING,
  jobBundleSpecifics,
} from '../functions/bundling.ts';

/**
 * A job's bundle as the function's code, built by esbuild in this process:
 * the options of `functions/bundling.ts`, the ones the local runtime builds
 * with, so both run the same bytes (`test/contract/bundles.test.ts`).
 *
 * NodejsFunction would run the same build as a command, `npx --no-install
 * esbuild ...` once per function: about 1.9 s each on this machine, most of it
 * npx starting, so bundling was 377 s of a 200-job synth. esbuild's JS API
 * keeps one service for every call (`bench/synth-scale`).
 *
 * Returns undefined where the stack is not being bundled (CDK's
 * `aws:cdk:bundling-stacks` context, as `cdk synth <other stack>` or the
 * infra tests set it): NodejsFunction then puts its placeholder code, as for
 * any function it does not bundle.
 *
 * The bundle is written below the cloud assembly (`cdk.out/bundling-temp-*`),
 * at the depth of the asset folder CDK copies it to, so the source map's
 * relative paths hold there; the temporary folder goes once CDK has copied it.
 */
/** The name of the `performance.measure` entry each job's bundling leaves. */
export const BUNDLE_MEASURE = 'bgjobs:bundle';

export function jobCode(
  scope: Construct,
  jobFile: string,
  job: BundledJobSource,
): { code: lambda.Code; cleanUp(): void } | undefined {
  if (!Stack.of(scope).bundlingRequired) return undefined;
  const outdir = Stage.of(scope)?.outdir;
  if (!outdir) return undefined;
  const started = performance.now();
  const dir = mkdtempSync(path.join(path.resolve(outdir), `bundling-temp-bgjobs-${job.name}-`));
  try {
    const result = buildSync({
      ...esbuildOptions({
        outfile: path.join(dir, JOB_BUNDLING.outputFile),
        ...jobBundleSpecifics(jobFile, job),
      }),
      logLevel: 'silent',
    });
    if (result.errors.length > 0) throw new Error(describe(result.errors));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const errors = (error as { errors?: Message[] }).errors;
    throw new BgjobsError(
      `job "${job.name}": esbuild could not bundle ${jobFile}: ${errors ? describe(errors) : String(error)}`,
    );
  }
  // A User Timing entry per bundle: bench/synth-scale reads them to say where synth's time goes.
  performance.measure(BUNDLE_MEASURE, { start: started, detail: job.name });
  return {
    code: lambda.Code.fromAsset(dir),
    cleanUp: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function describe(errors: readonly Message[]): string {
  return errors
    .map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text))
    .join('; ');
}
