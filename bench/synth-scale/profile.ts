import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildSync } from 'esbuild';
import { PROJECT_ROOT } from '../lib/paths.ts';
import { median } from '../lib/stats.ts';

const run = promisify(execFile);

/**
 * How long `npx --no-install esbuild --version` takes: NodejsFunction runs
 * esbuild through the package manager (`npx` for an npm project), once per function.
 */
export async function npxStartupMs(samples = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await run('npx', ['--no-install', 'esbuild', '--version'], { cwd: PROJECT_ROOT });
    times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * The alternative to one esbuild process per function: one in-process esbuild
 * build with an entry point per job (the shared entry's three lines, importing
 * the job's file), same options, each job still its own bundle. Returns its
 * time and how many bundles it wrote.
 */
export function singleBuild(jobsDir: string, outdir: string): { ms: number; bundles: number } {
  const entries = path.join(outdir, 'entries');
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(entries, { recursive: true });
  const from = (file: string) => path.join(PROJECT_ROOT, file);
  const jobs = readdirSync(jobsDir).filter((file) => file.endsWith('.ts'));
  for (const job of jobs) {
    writeFileSync(
      path.join(entries, job),
      [
        `import * as jobModule from '${path.join(jobsDir, job)}';`,
        `import { HANDLER_ENV } from '${from('core/handler-env.ts')}';`,
        `import { createHandler } from '${from('functions/create-handler.ts')}';`,
        `import { findJob } from '${from('functions/find-job.ts')}';`,
        'export const handler = createHandler(findJob(jobModule, process.env[HANDLER_ENV.jobName]));',
      ].join('\n'),
    );
  }
  const started = performance.now();
  buildSync({
    entryPoints: jobs.map((job) => path.join(entries, job)),
    outdir: path.join(outdir, 'bundles'),
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    sourcemap: true,
    external: ['@aws-sdk/*'],
    mainFields: ['module', 'main'],
    banner: {
      js: "import{createRequire}from'module';const require=createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  const ms = performance.now() - started;
  const bundles = readdirSync(path.join(outdir, 'bundles')).filter((f) => f.endsWith('.js')).length;
  rmSync(outdir, { recursive: true, force: true });
  return { ms, bundles };
}
