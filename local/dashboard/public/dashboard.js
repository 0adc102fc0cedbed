import { createCard } from './card.js';
import { createMemoryPanel } from './memory.js';
import { createOverview } from './overview.js';

const cards = new Map();
const jobs = document.getElementById('jobs');
const overview = createOverview(document.getElementById('overview'));
const connection = document.getElementById('connection');
let memory;

function showConnection(state, text) {
  connection.dataset.state = state;
  connection.textContent = text;
}

/** A snapshot (on connect and reconnect) rebuilds the cards; a sample updates them. */
function onSnapshot(snapshot) {
  const historySamples = (snapshot.historySeconds * 1000) / snapshot.sampleIntervalMs;
  if (!memory) {
    memory = createMemoryPanel(document.getElementById('memory'), historySamples);
    memory.mount();
  }
  memory.setSeries(snapshot.memory.series, snapshot.memory.latest);
  for (const job of snapshot.jobs) {
    let card = cards.get(job.job);
    if (!card) {
      card = createCard(job, historySamples, act);
      cards.set(job.job, card);
      overview.add(job.job);
      jobs.append(card.root);
      card.mount();
    }
    card.setSeries(job.series);
    card.update(job);
    overview.update(job);
  }
}

function onSample(sample) {
  memory?.append(sample.memory);
  for (const figures of sample.jobs) {
    const card = cards.get(figures.job);
    card?.append(figures.latest);
    card?.update(figures);
    overview.update(figures);
  }
}

/** Runs a button's action on the server, which uses the same client code as the CLI. */
async function act(action, job, messageId) {
  const card = cards.get(job);
  const path =
    action === 'redrive'
      ? `/api/jobs/${encodeURIComponent(job)}/dead-letters/${encodeURIComponent(messageId)}/redrive`
      : `/api/jobs/${encodeURIComponent(job)}/${action}`;
  const buttons = [...card.root.querySelectorAll('button')].filter((b) => !b.disabled);
  for (const button of buttons) button.disabled = true;
  card.say(`${action}…`);
  try {
    const response = await fetch(path, { method: 'POST' });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ?? `${response.status}`);
    card.say(action === 'redrive' ? `redriven ${messageId.slice(0, 8)}` : `${action}d`);
    card.update(body.job);
    overview.update(body.job);
  } catch (error) {
    card.say(`${action} failed: ${error.message}`);
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}

const events = new EventSource('/api/events');
events.addEventListener('open', () => showConnection('live', 'live'));
events.addEventListener('error', () => showConnection('lost', 'connection lost; retrying…'));
events.addEventListener('snapshot', (event) => onSnapshot(JSON.parse(event.data)));
events.addEventListener('sample', (event) => onSample(JSON.parse(event.data)));
