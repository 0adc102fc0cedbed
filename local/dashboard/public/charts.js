/* global uPlot */
/** The two uPlot charts of a job card: queue depths and outcomes per second. */

const AXIS = { stroke: '#5b6472', grid: { stroke: '#eceef2' }, ticks: { stroke: '#eceef2' } };

/** Times in 24-hour UTC, as everywhere else in bgjobs (core/time-text.ts). */
const TIME_AXIS = {
  ...AXIS,
  label: 'UTC',
  labelSize: 18,
  labelFont: '12px system-ui, sans-serif',
  values: (_u, splits) => splits.map((s) => new Date(s * 1000).toISOString().slice(11, 19)),
};

function line(label, stroke, extra = {}) {
  return { label, stroke, width: 2, points: { show: false }, ...extra };
}

function options(title, series, width) {
  return {
    title,
    width,
    height: 180,
    // Ticks fall on whole UTC minutes and seconds, whatever the browser's zone.
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
    cursor: { drag: { x: false, y: false } },
    legend: { live: false },
    scales: { y: { range: (_u, _min, max) => [0, Math.max(5, Math.ceil(max * 1.1))] } },
    axes: [TIME_AXIS, { ...AXIS, size: 50 }],
    series: [{}, ...series],
  };
}

/** Backlog (visible), in flight and dead letters over time, as SQS reports them. */
export function queueChart(element, width) {
  // uPlot draws in order: the backlog last, on top.
  const series = [
    line('Dead letters', '#dc2626'),
    line('Delayed', '#7c3aed', { dash: [4, 4] }),
    line('In flight', '#d97706'),
    line('Backlog (visible)', '#2563eb', { fill: 'rgba(37, 99, 235, 0.15)', width: 2.5 }),
  ];
  return new uPlot(options('Queue depth', series, width), [[], [], [], [], []], element);
}

/** Outcome events counted in each 1 s sample. */
export function throughputChart(element, width) {
  const series = [
    line('Whole-batch failures /s', '#7f1d1d', { dash: [6, 4] }),
    line('Failed /s', '#dc2626'),
    line('Processed /s', '#16a34a', { fill: 'rgba(22, 163, 74, 0.12)' }),
  ];
  return new uPlot(options('Outcomes per second', series, width), [[], [], [], []], element);
}

/** Columns from the server (`at` in epoch ms) as uPlot's data (x in seconds). */
export function queueData(columns) {
  return [
    columns.at.map((ms) => ms / 1000),
    columns.deadLetters,
    columns.delayed,
    columns.inFlight,
    columns.visible,
  ];
}

export function throughputData(columns) {
  return [
    columns.at.map((ms) => ms / 1000),
    columns.batchFailed,
    columns.failed,
    columns.processed,
  ];
}

const MB = 1024 * 1024;

/** Resident memory of the runtime's process and of its SQS endpoint's, in MB. */
export function memoryChart(element, width) {
  const series = [
    line('SQS endpoint (holds the queues)', '#2563eb', { fill: 'rgba(37, 99, 235, 0.12)' }),
    line('Runtime (receives, runs the workers)', '#16a34a', { width: 2.5 }),
  ];
  const chart = options('Memory (RSS, MB)', series, width);
  return new uPlot(chart, [[], [], []], element);
}

export function memoryData(columns) {
  const mb = (bytes) => (bytes === null ? null : bytes / MB);
  return [
    columns.at.map((ms) => ms / 1000),
    columns.sqsEndpointRssBytes.map(mb),
    columns.runtimeRssBytes.map(mb),
  ];
}
