/**
 * The peer handler: Powertools' batch utility as its documentation writes it,
 * doing what the noop job does per record (JSON.parse, the same zod schema,
 * nothing else). Bundled with the stack's settings, like our entry.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSHandler, SQSRecord } from 'aws-lambda';
import { orderSchema } from '../lib/order-schema.ts';

const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async (record: SQSRecord): Promise<void> => {
  orderSchema.parse(JSON.parse(record.body));
};

export const handler: SQSHandler = async (event: SQSEvent, context) =>
  processPartialResponse(event, recordHandler, processor, { context });
