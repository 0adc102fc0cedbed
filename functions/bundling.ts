/**
 * How a job's Lambda bundle is made: one definition that the stack
 * (`infra/job-function.ts`, through NodejsFunction's esbuild CLI call), the
 * local runtime (`local/lambda/job-bundle.ts`, esbuild's JS API) and the
 * benchmarks read, so that all three run the same bytes.
 */
import path from 'node:path';
import type { BuildOptions } from 'esbuild';

/** The project root: esbuild runs from here, and bundles sit below it so `@aws-sdk/*` resolves. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

/** The module name the shared entry imports; each bundle aliases it to one job's file. */
export const JOB_MODULE = 'bgjobs-job-module';

export const JOB_BUNDLING = {
  /** Every job's entry: it picks the job named by `BGJOBS_JOB_NAME` from the aliased module. */
  entry: path.join(PROJECT_ROOT, 'functions', 'job-entry.ts'),
  /** What NodejsFunction names an ESM bundle in its asset folder. */
  outputFile: 'index.mjs',
  /** The Lambda runtime is nodejs24.x. */
  target: 'node24',
  format: 'esm',
  minify: true,
  /** Minifying renames classes: without this, `PayloadValidationError.name` would be `st`. */
  keepNames: true,
  /** A linked `index.mjs.map`, read when `NODE_OPTIONS=--enable-source-maps`. */
  sourceMap: true,
  /** The Node.js 24 runtime ships SDK v3; locally it resolves from the project's `node_modules`. */
  externalModules: ['@aws-sdk/*'],
  mainFields: ['module', 'main'],
  /** ESM output still meets CommonJS dependencies that call require(). */
  banner: "import{createRequire}from'module';const require=createRequire(import.meta.url);",
} as const;

/** `bgjobs-job-module` -> the job's file: one job per bundle. */
export function jobModuleAlias(jobFile: string): Record<string, string> {
  return { [JOB_MODULE]: jobFile };
}

/**
 * esbuild JS API options that produce what NodejsFunction's esbuild CLI call
 * produces (`--bundle --target --platform=node --format --outfile --minify
 * --sourcemap --external --keep-names --banner:js --main-fields --alias`, run
 * from the project root). `entry` defaults to the job entry; the benchmarks
 * bundle other entries with the same settings.
 *
 * @example
 * await esbuild.build(esbuildOptions({ outfile, alias: jobModuleAlias('jobs/process.ts') }));
 */
export function esbuildOptions(options: {
  outfile: string;
  alias: Record<string, string>;
  entry?: string;
}): BuildOptions {
  return {
    entryPoints: [options.entry ?? JOB_BUNDLING.entry],
    outfile: options.outfile,
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    target: JOB_BUNDLING.target,
    format: JOB_BUNDLING.format,
    minify: JOB_BUNDLING.minify,
    keepNames: JOB_BUNDLING.keepNames,
    sourcemap: JOB_BUNDLING.sourceMap,
    external: [...JOB_BUNDLING.externalModules],
    mainFields: [...JOB_BUNDLING.mainFields],
    banner: { js: JOB_BUNDLING.banner },
    alias: options.alias,
  };
}
