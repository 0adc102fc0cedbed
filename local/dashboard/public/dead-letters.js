import { el } from './dom.js';

/** The newest dead letters of a job, with why each failed and a redrive button. */
export function renderDeadLetters(container, figures, onAction) {
  const list = figures.deadLetters;
  const key = JSON.stringify(list);
  // Redrawn only when the list changed, so a button is not replaced under the pointer.
  if (container.dataset.key === key) return;
  container.dataset.key = key;
  if (!list.available) {
    container.replaceChildren(el('h3', {}, 'Dead letters'), el('p', { class: 'muted' }, list.why));
    return;
  }
  const title = el('h3', {}, `Dead letters (${list.total})`);
  if (list.total === 0) {
    container.replaceChildren(
      title,
      el('p', { class: 'muted', 'data-field': 'no-dead-letters' }, 'None.'),
    );
    return;
  }
  const rows = list.latest.map((letter) => {
    const button = el('button', { type: 'button', 'data-action': 'redrive' }, 'Redrive');
    button.disabled = letter.state === 'held';
    button.addEventListener('click', () => onAction('redrive', figures.job, letter.messageId));
    const why = letter.reason
      ? `${letter.error ?? 'Error'}: ${letter.reason}`
      : 'no reason recorded: SQS moved it after maxReceiveCount receives';
    return el(
      'tr',
      { 'data-message-id': letter.messageId },
      el('td', {}, letter.failedAtText),
      el('td', { class: 'reason', title: letter.bodyPreview }, why),
      el('td', {}, letter.attempt === undefined ? '–' : String(letter.attempt)),
      el('td', { class: 'id', title: letter.messageId }, letter.originalMessageId.slice(0, 8)),
      el('td', {}, letter.state === 'held' ? 'held (list, redrive or purge running)' : button),
    );
  });
  const head = el(
    'tr',
    {},
    ...['failed at', 'reason', 'attempt', 'message', ''].map((h) => el('th', {}, h)),
  );
  const more = list.total > list.latest.length ? `newest ${list.latest.length} shown` : '';
  container.replaceChildren(
    title,
    el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows)),
    el('p', { class: 'muted' }, more),
  );
}
