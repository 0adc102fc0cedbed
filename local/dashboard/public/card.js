import { queueChart, queueData, throughputChart, throughputData } from './charts.js';
import { renderDeadLetters } from './dead-letters.js';
import { el } from './dom.js';
import { cardId } from './overview.js';

const FIELDS = [
  'state',
  'backlog',
  'trend',
  'inFlight',
  'delayed',
  'deadLetters',
  'processed',
  'failed',
];
const number = new Intl.NumberFormat('en');

function figure(field, label, help) {
  return el(
    'div',
    { class: 'figure', title: help },
    el('span', { 'data-field': field }, '–'),
    el('small', {}, label),
  );
}

/** One job: its big backlog figure, smaller figures, two charts, dead letters and buttons. */
export function createCard(job, historySamples, onAction) {
  const toggle = el('button', { type: 'button', 'data-action': 'pause' }, 'Pause');
  toggle.addEventListener('click', () => onAction(toggle.dataset.action, job.job));
  const root = el(
    'section',
    { class: 'job', id: cardId(job.job), 'data-job': job.job },
    el(
      'div',
      { class: 'head' },
      el('h2', {}, job.job),
      el('span', { class: 'chip' }, job.trigger),
      el('span', { class: 'chip state', 'data-field': 'state' }, ''),
      el('span', { class: 'spacer' }),
      el('span', { class: 'message', 'data-field': 'message', role: 'status' }),
      toggle,
    ),
    el(
      'div',
      { class: 'figures' },
      el(
        'div',
        { class: 'backlog', title: 'ApproximateNumberOfMessages of the job queue' },
        el('span', { class: 'big', 'data-field': 'backlog' }, '–'),
        el('small', {}, 'backlog: messages waiting'),
        el('span', { class: 'trend', 'data-field': 'trend' }, ''),
      ),
      figure(
        'inFlight',
        'in flight',
        'ApproximateNumberOfMessagesNotVisible: received, not yet deleted',
      ),
      figure('delayed', 'delayed', 'ApproximateNumberOfMessagesDelayed'),
      figure('deadLetters', 'dead letters', 'all messages of the dead-letter queue'),
      figure('processed', 'processed /s', 'outcome events "succeeded" in the last 1 s sample'),
      figure(
        'failed',
        'failed /s',
        'outcome events "retry" or "dead-lettered" in the last 1 s sample',
      ),
      figure('batches', 'batches running', 'batches in flight now / maxConcurrency'),
      figure('durations', 'p50 · p95 · p99', 'handler durations of the last 60 s (outcome events)'),
      figure(
        'processedTotal',
        'processed since start',
        'outcome events "succeeded" since the dashboard started',
      ),
      figure(
        'failedTotal',
        'failed since start',
        'outcome events "retry" or "dead-lettered" since the dashboard started',
      ),
      figure(
        'nextRun',
        'next scheduled run',
        'from the runtime scheduler, in the zone of its schedule; none while disabled',
      ),
      figure(
        'pendingRuns',
        'one-time runs pending',
        'enqueue with runAt or delay past 15 minutes: schedules not yet run',
      ),
    ),
    el('div', { class: 'charts' }, el('div', { class: 'chart' }), el('div', { class: 'chart' })),
    el('div', { class: 'dead-letters' }),
  );
  let series = job.series;
  let charts;

  return {
    root,
    /** Draws the charts; called once the card is in the page and has a width. */
    mount() {
      const [a, b] = root.querySelectorAll('.chart');
      charts = [queueChart(a, a.clientWidth), throughputChart(b, b.clientWidth)];
      new ResizeObserver(() => {
        charts[0].setSize({ width: a.clientWidth, height: 180 });
        charts[1].setSize({ width: b.clientWidth, height: 180 });
      }).observe(root);
      this.draw();
    },
    draw() {
      charts?.[0].setData(queueData(series));
      charts?.[1].setData(throughputData(series));
    },
    setSeries(columns) {
      series = columns;
      this.draw();
    },
    /** Appends the job's newest sample if it is new, keeping at most `historySamples`. */
    append(sample) {
      if (!sample || sample.at <= (series.at.at(-1) ?? 0)) return;
      for (const key of Object.keys(series)) {
        series[key].push(sample[key]);
        if (series[key].length > historySamples) series[key].shift();
      }
      this.draw();
    },
    update(figures) {
      const set = (field, text) => {
        root.querySelector(`[data-field="${field}"]`).textContent = text;
      };
      const latest = figures.latest;
      const previous = series.visible.at(-2);
      set('backlog', latest ? number.format(latest.visible) : '–');
      const delta = latest && previous !== undefined ? latest.visible - previous : 0;
      set(
        'trend',
        delta > 0
          ? `▲ ${number.format(delta)} in 1 s`
          : delta < 0
            ? `▼ ${number.format(-delta)} in 1 s`
            : '',
      );
      root.dataset.trend = delta > 0 ? 'rising' : delta < 0 ? 'draining' : 'steady';
      for (const field of FIELDS.slice(3)) set(field, latest ? number.format(latest[field]) : '–');
      set('batches', `${figures.batchesInFlight} / ${figures.maxConcurrency}`);
      const d = figures.durations;
      set('durations', d ? `${d.p50} · ${d.p95} · ${d.p99} ms` : 'no runs');
      root.querySelector('[data-field="durations"]').title = d ? `${d.count} runs` : '';
      set('processedTotal', number.format(figures.totals.processed));
      set('failedTotal', number.format(figures.totals.failed));
      set('nextRun', figures.nextRunText);
      root.querySelector('[data-field="nextRun"]').title = figures.schedules
        .map((s) => `${s.name}: ${s.expression} ${s.timeZone}, next ${s.nextRunText}`)
        .join('\n');
      set('pendingRuns', number.format(figures.pendingRuns));
      set('state', figures.paused ? 'paused' : 'running');
      root.dataset.paused = String(figures.paused);
      toggle.dataset.action = figures.paused ? 'resume' : 'pause';
      toggle.textContent = figures.paused ? 'Resume' : 'Pause';
      if (figures.problem) set('message', figures.problem);
      renderDeadLetters(root.querySelector('.dead-letters'), figures, onAction);
    },
    say(text) {
      root.querySelector('[data-field="message"]').textContent = text;
    },
  };
}
