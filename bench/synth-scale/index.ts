import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { cdkSynth, functionBundles, type SynthRun } from '../lib/cdk.ts';
import { BENCH_TMP_DIR } from '../lib/paths.ts';
import type { Benchmark, BenchResult } from '../lib/result.ts';
import { rotate } from '../lib/stats.ts';
import { type AppPhases, generateApp, JOB_KINDS, PHASES_FILE_ENV } from './generate.ts';
import { npxStartupMs, singleBuild } from './profile.ts';
import { summarize } from './summary.ts';
import {
  type LintFigures,
  lintFigures,
  type TemplateFigures,
  templateFigures,
} from './templates.ts';

export const JOB_COUNTS = [1, 10, 50, 200] as const;
export type JobCount = (typeof JOB_COUNTS)[number];
const ROUNDS = 2;

/** One `cdk synth`: the CLI's wall time, and where the app's own process spent it. */
export interface ScaleRun extends SynthRun {
  readonly phases: AppPhases | undefined;
}

export interface SynthScaleFigures {
  readonly rounds: Record<JobCount, ScaleRun>[];
  readonly templates: Partial<Record<JobCount, TemplateFigures>>;
  readonly lint: LintFigures | undefined;
  readonly npxMs: number;
  readonly singleBuild: { ms: number; bundles: number };
}

/**
 * `cdk synth` of apps of 1, 10, 50 and 200 generated jobs (on demand,
 * scheduled, event-driven, FIFO), each bundled from the real entry into a fresh
 * output folder, in rotating order; each app records where its time went.
 * Then what the templates hold, cfn-lint over the 200-job templates, npx's
 * start-up, and one multi-entry esbuild build as the alternative to bundling
 * one function at a time.
 */
export const synthScaleBenchmark: Benchmark = {
  name: 'synth-scale',
  title: 'Synth scale',
  run: async (): Promise<BenchResult> => {
    const dir = path.join(BENCH_TMP_DIR, 'synth-scale');
    rmSync(dir, { recursive: true, force: true });
    try {
      const apps = JOB_COUNTS.map((count) => {
        const appDir = path.join(dir, `jobs-${count}`);
        return { count, appDir, app: generateApp(appDir, count) };
      });
      const rounds: Record<JobCount, ScaleRun>[] = [];
      const templates: Partial<Record<JobCount, TemplateFigures>> = {};
      let lint: LintFigures | undefined;
      for (let round = 0; round < ROUNDS; round++) {
        const figures = {} as Record<JobCount, ScaleRun>;
        for (const { count, appDir, app } of rotate(apps, round)) {
          const outdir = path.join(appDir, 'cdk.out');
          const phasesFile = path.join(appDir, 'phases.json');
          rmSync(outdir, { recursive: true, force: true });
          rmSync(phasesFile, { force: true });
          const run = await cdkSynth({
            outdir,
            app: `"${process.execPath}" --import tsx ${app}`,
            env: { [PHASES_FILE_ENV]: phasesFile },
          });
          figures[count] = { ...run, phases: run.failure ? undefined : readPhases(phasesFile) };
          if (!run.failure) {
            const functions = functionBundles(outdir).length;
            if (functions !== count)
              throw new Error(`synth of ${count} jobs made ${functions} functions`);
            templates[count] = templateFigures(outdir);
            if (count === 200 && round === ROUNDS - 1) lint = await lintFigures(outdir);
          }
          rmSync(outdir, { recursive: true, force: true });
        }
        rounds.push(figures);
      }
      const largest = apps.at(-1);
      if (!largest) throw new Error('no app');
      const figures: SynthScaleFigures = {
        rounds,
        templates,
        lint,
        npxMs: await npxStartupMs(),
        singleBuild: singleBuild(path.join(largest.appDir, 'jobs'), path.join(dir, 'single-build')),
      };
      return summarize(figures, { rounds: ROUNDS, kinds: JOB_KINDS });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

function readPhases(file: string): AppPhases {
  return JSON.parse(readFileSync(file, 'utf8')) as AppPhases;
}
