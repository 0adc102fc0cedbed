/**
 * The I/O-bound peer: Powertools' batch utility with `processInParallel`
 * (its default, made explicit), doing what the wait job does per record.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSHandler, SQSRecord } from 'aws-lambda';
import { orderSchema } from '../lib/order-schema.ts';
import { WAIT_MS } from '../lib/work.ts';

const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async (record: SQSRecord): Promise<void> => {
  orderSchema.parse(JSON.parse(record.body));
  await sleep(WAIT_MS);
};

export const handler: SQSHandler = async (event: SQSEvent, context) =>
  processPartialResponse(event, recordHandler, processor, { context, processInParallel: true });
