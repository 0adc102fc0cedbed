/**
 * The init peer: a Powertools batch handler with its logger and metrics, as
 * Powertools' documentation writes one, validating the same zod order schema
 * as the noop job. Bundled with the stack's settings, like a job's entry.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { orderSchema } from '../lib/order-schema.ts';

const processor = new BatchProcessor(EventType.SQS);
const logger = new Logger({ serviceName: 'peer' });
const metrics = new Metrics({ namespace: 'bench', serviceName: 'peer' });

const recordHandler = async (record: SQSRecord): Promise<void> => {
  orderSchema.parse(JSON.parse(record.body));
  metrics.addMetric('Succeeded', MetricUnit.Count, 1);
};

export const handler = middy(async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, recordHandler, processor, { context }),
)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
