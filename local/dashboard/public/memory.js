import { memoryChart, memoryData } from './charts.js';
import { el } from './dom.js';

const MB = 1024 * 1024;
const megabytes = (bytes) =>
  bytes === null || bytes === undefined ? '–' : `${Math.round(bytes / MB)} MB`;

/**
 * The runtime's memory next to its SQS endpoint's, each a process of its own:
 * a backlog grows the endpoint, as on AWS it waits in SQS, and the runtime stays
 * flat, unlike a mailbox that holds every message in the consumer.
 */
export function createMemoryPanel(container, historySamples) {
  const figure = (field, label, help) =>
    el(
      'div',
      { class: 'figure', title: help },
      el('span', { 'data-field': field }, '–'),
      el('small', {}, label),
    );
  const chartElement = el('div', { class: 'chart' });
  container.replaceChildren(
    el(
      'div',
      { class: 'head' },
      el('h2', {}, 'Memory'),
      el(
        'span',
        { class: 'message' },
        'the backlog waits in the SQS endpoint’s process, as on AWS it waits in SQS: a flood grows the endpoint, not the runtime',
      ),
    ),
    el(
      'div',
      { class: 'figures' },
      figure(
        'runtimeMemory',
        'runtime',
        'resident memory of the runtime’s process (its workers included)',
      ),
      figure(
        'sqsEndpointMemory',
        'SQS endpoint',
        'resident memory of the SQS endpoint’s process (fauxqs)',
      ),
    ),
    chartElement,
  );
  let series = { at: [], runtimeRssBytes: [], sqsEndpointRssBytes: [] };
  let chart;
  const set = (field, text) => {
    container.querySelector(`[data-field="${field}"]`).textContent = text;
  };
  return {
    mount() {
      chart = memoryChart(chartElement, chartElement.clientWidth);
      new ResizeObserver(() =>
        chart.setSize({ width: chartElement.clientWidth, height: 180 }),
      ).observe(container);
      chart.setData(memoryData(series));
    },
    setSeries(columns, latest) {
      series = columns;
      chart?.setData(memoryData(series));
      this.update(latest);
    },
    /** Appends the newest sample if it is new, keeping at most `historySamples`. */
    append(sample) {
      if (!sample || sample.at <= (series.at.at(-1) ?? 0)) return;
      for (const key of Object.keys(series)) {
        series[key].push(sample[key]);
        if (series[key].length > historySamples) series[key].shift();
      }
      chart?.setData(memoryData(series));
      this.update(sample);
    },
    update(sample) {
      set('runtimeMemory', megabytes(sample?.runtimeRssBytes));
      set(
        'sqsEndpointMemory',
        sample && sample.sqsEndpointRssBytes === null
          ? 'external'
          : megabytes(sample?.sqsEndpointRssBytes),
      );
    },
  };
}
