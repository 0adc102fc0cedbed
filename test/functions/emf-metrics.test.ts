import { describe, expect, it } from 'vitest';
import { EmfMetrics, metricsDisabled } from '../../functions/emf-metrics.ts';

function emfUnderTest(more: { disabled?: boolean } = {}) {
  const lines: string[] = [];
  const metrics = new EmfMetrics({
    namespace: 'bgjobs/shop',
    service: 'resize',
    now: () => 1_764_633_600_000,
    write: (line) => lines.push(line),
    ...more,
  });
  return { metrics, documents: () => lines.map((line) => JSON.parse(line)) };
}

describe('EmfMetrics', () => {
  it('writes one document per flush, as Powertools does: namespace, service dimension, a value or a list', () => {
    // Arrange
    const { metrics, documents } = emfUnderTest();

    // Act
    metrics.addMetric('Duration', 'Milliseconds', 12);
    metrics.addMetric('Duration', 'Milliseconds', 30);
    metrics.addMetric('Succeeded', 'Count', 2);
    metrics.flush();
    metrics.flush();

    // Assert
    expect(documents()).toEqual([
      {
        _aws: {
          Timestamp: 1_764_633_600_000,
          CloudWatchMetrics: [
            {
              Namespace: 'bgjobs/shop',
              Dimensions: [['service']],
              Metrics: [
                { Name: 'Duration', Unit: 'Milliseconds' },
                { Name: 'Succeeded', Unit: 'Count' },
              ],
            },
          ],
        },
        service: 'resize',
        Duration: [12, 30],
        Succeeded: 2,
      },
    ]);
  });

  it('writes valid JSON for any metric name, quotes and all', () => {
    const { metrics, documents } = emfUnderTest();
    metrics.addMetric('Latency "p99" \\ café', 'Milliseconds', 1.5);
    metrics.flush();
    expect(documents()[0]).toMatchObject({ 'Latency "p99" \\ café': 1.5 });
  });

  it('starts a new document when a metric reaches the 100 values EMF allows', () => {
    // Arrange
    const { metrics, documents } = emfUnderTest();

    // Act
    for (let i = 0; i < 150; i++) metrics.addMetric('AgeAtStart', 'Milliseconds', i);
    metrics.flush();

    // Assert
    expect(documents().map((d) => (d.AgeAtStart as number[]).length)).toEqual([100, 50]);
    expect(documents().flatMap((d) => d.AgeAtStart)).toEqual([...Array(150).keys()]);
  });

  it('takes many values of one metric at once, split into documents of 100 as well', () => {
    // Arrange
    const { metrics, documents } = emfUnderTest();
    metrics.addMetric('Duration', 'Milliseconds', -1);

    // Act
    metrics.addMetricValues('Duration', 'Milliseconds', [...Array(150).keys()]);
    metrics.flush();

    // Assert
    expect(documents().map((d) => (d.Duration as number[]).length)).toEqual([100, 51]);
    expect(() => metrics.addMetricValues('Duration', 'Milliseconds', [1, Infinity])).toThrow(
      'metric "Duration" has value Infinity; allowed: a finite number',
    );
  });

  it('refuses a value, a unit or a name CloudWatch would not take, naming what is allowed', () => {
    const { metrics } = emfUnderTest();
    metrics.addMetric('Duration', 'Milliseconds', 1);
    expect(() => metrics.addMetric('Duration', 'Seconds', 1)).toThrow(
      'metric "Duration" has unit "Seconds"; allowed: "Milliseconds", the unit it was first added with',
    );
    expect(() => metrics.addMetric('Duration', 'Milliseconds', Number.NaN)).toThrow(
      'metric "Duration" has value NaN; allowed: a finite number',
    );
    expect(() => metrics.addMetric('Size', 'Parsecs' as 'None', 1)).toThrow(
      /^metric "Size" has unit "Parsecs"; allowed: Seconds, Microseconds, Milliseconds/,
    );
    expect(() => metrics.addMetric('service', 'Count', 1)).toThrow(
      'metric name "service"; allowed: any other, "service" is a key of the EMF document',
    );
    expect(() => metrics.addMetric('', 'Count', 1)).toThrow(
      'metric name ""; allowed: a string of 1 to 255 characters',
    );
  });

  it('prints nothing when metrics are turned off, as Powertools reads its variables', () => {
    const { metrics, documents } = emfUnderTest({ disabled: true });
    metrics.addMetric('Succeeded', 'Count', 1);
    metrics.flush();
    expect(documents()).toEqual([]);
    expect(metricsDisabled({ POWERTOOLS_METRICS_DISABLED: 'true' })).toBe(true);
    expect(metricsDisabled({ POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_DEV: 'true' })).toBe(
      false,
    );
    expect(metricsDisabled({ POWERTOOLS_DEV: '1' })).toBe(true);
    expect(metricsDisabled({})).toBe(false);
  });
});
