import type { Figure, ResultRow, Target } from './result.ts';

export function formatFigure(figure: Figure): string {
  switch (figure.unit) {
    case 'bytes':
      return `${(figure.value / 1024).toFixed(1)} KB`;
    case 'msg/s':
      return `${Math.round(figure.value).toLocaleString('en-US')} msg/s`;
    case 'ns/record':
      return `${Math.round(figure.value).toLocaleString('en-US')} ns/record`;
    case 'ms':
      return `${figure.value < 100 ? figure.value.toFixed(1) : Math.round(figure.value).toLocaleString('en-US')} ms`;
    case 'MB':
      return `${figure.value.toFixed(1)} MB`;
  }
}

export function formatTarget(target: Target | undefined, unit: Figure['unit']): string {
  if (!target) return 'reference';
  if (target.of === 'ratio') return `${target.op} ${target.value} x`;
  return `${target.op} ${formatFigure({ label: '', value: target.value, unit })}`;
}

export function formatVerdict(row: ResultRow): string {
  if (row.failure) return 'MISSED (failed)';
  if (row.met === undefined) return '-';
  return row.met ? 'met' : 'MISSED';
}

/** A plain-text table whose columns fit their widest cell. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, i) =>
    Math.max(cell.length, ...rows.map((r) => r[i]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The runner's table columns for one benchmark's rows. */
export function tableCells(name: string, row: ResultRow): string[] {
  return [
    name,
    row.metric,
    `${row.baseline.label}: ${formatFigure(row.baseline)}`,
    `${row.candidate.label}: ${formatFigure(row.candidate)}`,
    `${row.ratio.toFixed(2)} x`,
    formatTarget(row.target, row.candidate.unit),
    formatVerdict(row),
  ];
}

export const TABLE_HEADER = [
  'benchmark',
  'metric',
  'baseline',
  'candidate',
  'ratio',
  'target',
  'result',
];
