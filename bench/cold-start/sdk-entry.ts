/** A reference: the bare handler plus the SQS client every job function creates at init. */
import { SQSClient } from '@aws-sdk/client-sqs';

const sqs = new SQSClient({});

export const handler = async () => ({ batchItemFailures: [], region: sqs.config.region });
