import { beforeAll, describe, expect, it } from 'vitest';
import { metricId, WORST_JOBS } from '../../infra/overview-dashboard.ts';
import { jobs } from '../../jobs/index.ts';
import { dashboardWidgets, synthStack, type Widget } from './build.ts';

let overview: ReturnType<typeof dashboardWidgets>;

beforeAll(() => {
  overview = dashboardWidgets(synthStack(jobs).template);
});

/** A graph's lines: expressions, and the metrics they read, by id. */
function lines(widget: Widget) {
  const metrics = (widget.properties.metrics ?? []).map((line) => {
    const options = line.find((x) => typeof x === 'object') as {
      id?: string;
      expression?: string;
      label?: string;
      visible?: boolean;
    };
    const names = line.filter((x) => typeof x === 'string') as string[];
    return { ...options, names };
  });
  return {
    expressions: metrics.filter((m) => m.expression).map((m) => m.expression),
    read: metrics.filter((m) => !m.expression),
  };
}

const graph = (title: string) => {
  const widget = overview.widgets.find((w) => w.properties.title === title);
  if (!widget) throw new Error(`no graph "${title}"`);
  return lines(widget);
};

describe('the overview dashboard', () => {
  it('is named after the stack and the region: dashboard names are global to the account', () => {
    expect(overview.name).toEqual({ 'Fn::Join': ['', ['bgjobs--', { Ref: 'AWS::Region' }]] });
  });

  it('has one graph per concern, each with the total and the worst jobs', () => {
    expect(overview.widgets.map((w) => w.properties.title ?? 'text')).toEqual([
      'text',
      'Backlog (visible messages)',
      'Oldest message (s)',
      'Dead letters (visible)',
      'Events not delivered (rule dead letters)',
      'Failed attempts',
      'Function errors',
    ]);
    for (const widget of overview.widgets.slice(1)) {
      const total = widget.properties.title === 'Oldest message (s)' ? 'MAX' : 'SUM';
      expect(lines(widget).expressions).toEqual([
        `${total}(METRICS())`,
        `SORT(METRICS(), MAX, DESC, ${WORST_JOBS})`,
      ]);
    }
  });

  it("reads each job's metrics by name from the plan, with ids and labels from the job name", () => {
    const backlog = graph('Backlog (visible messages)').read;
    expect(backlog.map((m) => [m.id, m.label, m.visible, m.names])).toEqual(
      jobs.map((job) => [
        metricId(job.name),
        job.name,
        false,
        ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', `bgjobs--${job.name}`],
      ]),
    );
    expect(graph('Dead letters (visible)').read.map((m) => m.names[3])).toEqual(
      jobs.map((job) => `bgjobs--${job.name}--dlq`),
    );
    expect(graph('Failed attempts').read.map((m) => m.names)).toEqual(
      jobs.map((job) => ['bgjobs/bgjobs', 'Failed', 'service', job.name]),
    );
    expect(graph('Function errors').read.map((m) => m.names[3])).toEqual(
      jobs.map((job) => `bgjobs--${job.name}`),
    );
  });

  it('graphs rule dead letters of the jobs that have rules only', () => {
    expect(graph('Events not delivered (rule dead letters)').read.map((m) => m.names[3])).toEqual([
      'bgjobs--statistics--rule-dlq',
      'bgjobs--report--rule-dlq',
    ]);
  });

  it('gives distinct ids to jobs a hyphen tells apart', () => {
    expect([metricId('a-b'), metricId('ab'), metricId('a-b-c')]).toEqual([
      'j_a_b',
      'j_ab',
      'j_a_b_c',
    ]);
  });
});
