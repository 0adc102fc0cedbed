import { rmSync } from 'node:fs';
import path from 'node:path';
import { cdkSynth, functionBundles, type SynthRun } from '../lib/cdk.ts';
import { BENCH_TMP_DIR } from '../lib/paths.ts';
import type { Benchmark, BenchResult } from '../lib/result.ts';
import { rotate } from '../lib/stats.ts';
import { generateApp, JOB_KINDS } from './generate.ts';
import { type AppPhases, appPhases, npxStartupMs, singleBuild } from './profile.ts';
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
/** The job counts whose synth is taken apart phase by phase. */
const PROFILED = [1, 200] as const;

export interface SynthScaleFigures {
  readonly rounds: Record<JobCount, SynthRun>[];
  readonly templates: Partial<Record<JobCount, TemplateFigures>>;
  readonly lint: LintFigures | undefined;
  readonly profile: Record<
    (typeof PROFILED)[number],
    Record<'full' | 'noBundling' | 'noBundlingNoNag', AppPhases>
  >;
  readonly npxMs: number;
  readonly singleBuild: { ms: number; bundles: number };
}

/**
 * `cdk synth` of apps of 1, 10, 50 and 200 generated jobs (on demand,
 * scheduled, event-driven, FIFO), each bundled from the real entry into a fresh
 * output folder, in rotating order; then where the time goes, what the
 * templates hold, and cfn-lint over the 200-job templates.
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
      const rounds: Record<JobCount, SynthRun>[] = [];
      const templates: Partial<Record<JobCount, TemplateFigures>> = {};
      let lint: LintFigures | undefined;
      for (let round = 0; round < ROUNDS; round++) {
        const figures = {} as Record<JobCount, SynthRun>;
        for (const { count, appDir, app } of rotate(apps, round)) {
          const outdir = path.join(appDir, 'cdk.out');
          rmSync(outdir, { recursive: true, force: true });
          figures[count] = await cdkSynth({
            outdir,
            app: `"${process.execPath}" --import tsx ${app}`,
          });
          if (!figures[count].failure) {
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
      const profile = {} as SynthScaleFigures['profile'];
      for (const count of PROFILED) {
        const found = apps.find((a) => a.count === count);
        if (!found) throw new Error(`no app of ${count} jobs`);
        const outdir = path.join(found.appDir, 'profile.out');
        profile[count] = {
          full: await appPhases(found.app, outdir, { bundling: true, nag: true }),
          noBundling: await appPhases(found.app, outdir, { bundling: false, nag: true }),
          noBundlingNoNag: await appPhases(found.app, outdir, { bundling: false, nag: false }),
        };
      }
      const largest = apps.at(-1);
      if (!largest) throw new Error('no app');
      const figures: SynthScaleFigures = {
        rounds,
        templates,
        lint,
        profile,
        npxMs: await npxStartupMs(),
        singleBuild: singleBuild(path.join(largest.appDir, 'jobs'), path.join(dir, 'single-build')),
      };
      return summarize(figures, { rounds: ROUNDS, kinds: JOB_KINDS });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
