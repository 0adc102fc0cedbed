/** Plain text tables and durations for human output. */

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** 42 s, 3 min, 2 h 5 min, 1 d 3 h */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** `12:03:00Z (in 42 s)`: the time, and how far away it is. */
export function nextRun(at: Date | undefined, now: Date = new Date()): string {
  if (!at) return '-';
  const inSeconds = Math.max(0, (at.getTime() - now.getTime()) / 1000);
  return `${at.toISOString().slice(11, 19)}Z (in ${duration(inSeconds)})`;
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function examples(lines: readonly string[], extra = ''): string {
  return `\nExamples:\n${lines.map((line) => `  ${line}`).join('\n')}\n${extra}`;
}
