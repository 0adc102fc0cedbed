import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr when a person is watching (stderr is a terminal and
 * --json is off); otherwise nothing, so pipes and logs stay clean. It starts on
 * the first update, when the total is known.
 */
export function progressBar(label: string, quiet: boolean | undefined): Progress {
  if (quiet || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  let bar: SingleBar | undefined;
  return {
    update: (done, total) => {
      if (!bar) {
        bar = new SingleBar(
          { format: `${label} |{bar}| {value}/{total} {eta_formatted}`, hideCursor: true },
          Presets.shades_classic,
        );
        bar.start(total, done);
      } else bar.update(done);
    },
    stop: () => bar?.stop(),
  };
}
