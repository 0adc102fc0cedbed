import { el } from './dom.js';

const number = new Intl.NumberFormat('en');
const COLUMNS = [
  ['backlog', 'backlog'],
  ['inFlight', 'in flight'],
  ['deadLetters', 'dead letters'],
  ['processed', 'processed /s'],
  ['failed', 'failed /s'],
  ['nextRun', 'next run'],
  ['paused', 'paused'],
];

/** The id of a job's card, which the overview links to. */
export function cardId(job) {
  return `job-${job}`;
}

/** One row per job with its latest figures; each job's name links to its card. */
export function createOverview(container) {
  const body = el('tbody');
  container.replaceChildren(
    el(
      'table',
      {},
      el(
        'thead',
        {},
        el('tr', {}, el('th', {}, 'job'), ...COLUMNS.map(([, label]) => el('th', {}, label))),
      ),
      body,
    ),
  );
  const rows = new Map();

  return {
    add(job) {
      const cells = Object.fromEntries(
        COLUMNS.map(([field]) => [field, el('td', { 'data-column': field }, '–')]),
      );
      const row = el(
        'tr',
        { 'data-row': job },
        el('td', {}, el('a', { href: `#${cardId(job)}` }, job)),
        ...Object.values(cells),
      );
      rows.set(job, { row, cells });
      body.append(row);
    },
    update(figures) {
      const entry = rows.get(figures.job);
      if (!entry) return;
      const { row, cells } = entry;
      const latest = figures.latest;
      const count = (field) => (latest ? number.format(latest[field]) : '–');
      cells.backlog.textContent = count('visible');
      cells.inFlight.textContent = count('inFlight');
      cells.deadLetters.textContent = count('deadLetters');
      cells.processed.textContent = count('processed');
      cells.failed.textContent = count('failed');
      cells.nextRun.textContent = figures.nextRunText;
      cells.paused.textContent = figures.paused ? 'yes' : 'no';
      row.dataset.paused = String(figures.paused);
      row.dataset.deadLetters = String((latest?.deadLetters ?? 0) > 0);
    },
  };
}
