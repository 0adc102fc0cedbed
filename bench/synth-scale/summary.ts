import { type BenchResult, resultRow } from '../lib/result.ts';
import { median } from '../lib/stats.ts';
import type { AppPhases } from './generate.ts';
import type { JobCount, SynthScaleFigures } from './index.ts';

/** synth(200) may take at most this many times synth(1). */
const TARGET_RATIO = 8;

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The rows (synth time against 1 job) and the notes: profile, templates, cfn-lint. */
export function summarize(
  figures: SynthScaleFigures,
  how: { rounds: number; kinds: readonly string[] },
): BenchResult {
  const { rounds, templates, lint } = figures;
  const ms = (count: JobCount) => median(rounds.map((r) => r[count].ms));
  const phases = (count: JobCount): AppPhases | undefined => {
    const runs = rounds.map((r) => r[count].phases).filter((p): p is AppPhases => p !== undefined);
    if (runs.length === 0) return undefined;
    const of = (key: keyof AppPhases) => median(runs.map((p) => p[key]));
    return {
      startupMs: of('startupMs'),
      constructMs: of('constructMs'),
      bundlingMs: of('bundlingMs'),
      bundlingCommands: of('bundlingCommands'),
      synthMs: of('synthMs'),
      nagMs: of('nagMs'),
    };
  };
  const failure = (count: JobCount) => rounds.find((r) => r[count].failure)?.[count].failure;
  if (failure(1)) throw new Error(`cdk synth of a 1-job app failed: ${failure(1)}`);
  const row = (count: 10 | 50 | 200) =>
    resultRow({
      metric: `synth time, ${count} jobs vs 1`,
      baseline: { label: '1 job', value: ms(1), unit: 'ms' },
      candidate: { label: `${count} jobs`, value: ms(count), unit: 'ms' },
      ratio: median(rounds.map((r) => r[count].ms / r[1].ms)),
      target: count === 200 ? { of: 'ratio', op: '<=', value: TARGET_RATIO } : undefined,
      failure: failure(count),
    });

  const notes = [
    `\`cdk synth -q\` wall time, CLI included, each into a fresh output folder (every function bundled by esbuild through NodejsFunction); ${how.rounds} rounds in rotating order. Jobs cycle ${how.kinds.join(' / ')}; the app is infra/app.ts with those jobs: queue lock, template limits, cdk-nag.`,
  ];
  for (const count of [1, 10, 50, 200] as const) {
    const p = phases(count);
    if (!p) continue;
    const inApp = p.startupMs + p.constructMs + p.synthMs;
    notes.push(
      `Where the time of ${count} job${count > 1 ? 's' : ''} goes (medians; the app measures itself): starting and loading modules ${s(p.startupMs)}; construct tree ${s(p.constructMs - p.bundlingMs)}; bundling ${s(p.bundlingMs)} (${s(p.bundlingMs / count)} per function); app.synth() ${s(p.synthMs)}, of which cdk-nag ${s(p.nagMs)}; the CLI around the app ${s(ms(count) - inApp)}.`,
    );
  }
  const perFunction = (phases(200)?.bundlingMs ?? Number.NaN) / 200;
  notes.push(
    `NodejsFunction starts esbuild through \`npx --no-install esbuild\`, once per function: npx alone takes ${s(figures.npxMs)} here (median of 3) of the ${s(perFunction)} each function's bundling takes. One in-process esbuild build with an entry point per job (same options, still one bundle per job) made ${figures.singleBuild.bundles} bundles in ${s(figures.singleBuild.ms)}.`,
  );
  for (const [count, t] of Object.entries(templates)) {
    if (!t) continue;
    notes.push(
      `${count} job${count === '1' ? '' : 's'}: ${t.templates} templates, ${t.totalResources.toLocaleString('en-US')} resources in all; the app's stack ${t.parentResources} resources, ${t.parentBytes.toLocaleString('en-US')} bytes; the largest job stack ${t.maxJobResources} resources, ${t.maxJobBytes.toLocaleString('en-US')} bytes; ${t.alarms} alarms; ${t.dashboards} dashboard of ${t.maxDashboardWidgets} widgets, ${t.maxDashboardMetrics} metrics and expressions.`,
    );
  }
  notes.push(
    lint
      ? `cfn-lint over the ${lint.templates} templates of 200 jobs: ${lint.errors} errors, ${lint.warnings} warnings (${
          Object.entries(lint.warningRules)
            .map(([rule, n]) => `${rule} x ${n}`)
            .join(', ') || 'none'
        }), in ${s(lint.ms)}.`
      : 'cfn-lint is not on the PATH: the 200-job templates were not linted.',
  );
  for (const count of [10, 50, 200] as const) {
    const why = failure(count);
    if (why)
      notes.push(
        `synth of ${count} jobs failed (its figure is the time until the CLI exited): ${why}`,
      );
  }
  return { rows: [row(10), row(50), row(200)], notes, details: { ...figures } };
}
