import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type MessageAttributeValue,
  PurgeQueueCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SqsServer, startSqsServer } from '../../../local/sqs/server.ts';
import { CLI_ENV, run } from '../../e2e/harness.ts';

/*
 * SQS's message attribute rules (SQS Developer Guide, "Amazon SQS message
 * attributes"): at most 10 per message; a data type of String, Number or
 * Binary, optionally with a custom `.label`; a Number of at most 38 significant
 * digits between 10^-128 and 10^+126. fauxqs 2.4.1 accepts all of these
 * (patches/fauxqs+2.4.1.patch adds the checks), so every refusal below fails on
 * unpatched fauxqs. The code is InvalidParameterValue and the messages are those
 * SQS answers with (captured from SQS by others), except for precision and
 * range, for which no SQS answer was found.
 */

let server: SqsServer;
let sqs: SQSClient;
let queueUrl: string;

beforeAll(async () => {
  server = await startSqsServer({ port: 0, dataDir: undefined });
  sqs = new SQSClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    maxAttempts: 1,
  });
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'attributes' }))).QueueUrl ?? '';
});
afterAll(() => server?.stop());
beforeEach(() => sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl })));

async function messagesInQueue(): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  return Number(Attributes.ApproximateNumberOfMessages);
}

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
const attributes = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`a${i}`, text(String(i))]));

const refusals: [string, Record<string, MessageAttributeValue>, string | RegExp][] = [
  [
    'more than 10 attributes',
    attributes(11),
    'Number of message attributes [11] exceeds the allowed maximum [10].',
  ],
  [
    'an unknown data type',
    { colour: { DataType: 'Text', StringValue: 'red' } },
    "The type of message (user) attribute 'colour' is invalid. You must use only the following supported type prefixes: Binary, Number, String.",
  ],
  [
    // SQS's wording for this one was not found; the code is what matters.
    'an attribute without a data type',
    { colour: { StringValue: 'red' } as MessageAttributeValue },
    /^The type of message \(user\) attribute 'colour' is invalid\./,
  ],
  [
    'a data type in the wrong case',
    { colour: { DataType: 'string', StringValue: 'red' } },
    "The type of message (user) attribute 'colour' is invalid. You must use only the following supported type prefixes: Binary, Number, String.",
  ],
  [
    'a custom label without a base type',
    { colour: { DataType: 'Colour.rgb', StringValue: 'red' } },
    "The type of message (user) attribute 'colour' is invalid. You must use only the following supported type prefixes: Binary, Number, String.",
  ],
  [
    'a Number that is not a number',
    { age: { DataType: 'Number', StringValue: 'forty' } },
    "Can't cast the value of message (user) attribute 'age' to a number.",
  ],
  [
    'a Number.label that is not a number',
    { age: { DataType: 'Number.int', StringValue: '0x1F' } },
    "Can't cast the value of message (user) attribute 'age' to a number.",
  ],
  [
    'a Number with more than 38 significant digits',
    { big: { DataType: 'Number', StringValue: '1234567890123456789012345678901234567.89' } },
    /^The value of message \(user\) attribute 'big' is too precise: a Number has at most 38 significant digits/,
  ],
  [
    'a Number above 10^+126',
    { big: { DataType: 'Number', StringValue: '2e126' } },
    /^The value of message \(user\) attribute 'big' is too large/,
  ],
  [
    'a Number below 10^-128 in magnitude',
    { tiny: { DataType: 'Number', StringValue: '-9.9e-129' } },
    /^The value of message \(user\) attribute 'tiny' is too small/,
  ],
];

describe('message attributes on the embedded SQS endpoint', () => {
  it.each(refusals)(
    'refuses %s with InvalidParameterValue',
    async (_what, MessageAttributes, message) => {
      await expect(
        sqs.send(
          new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageAttributes }),
        ),
      ).rejects.toMatchObject({
        name: 'InvalidParameterValue',
        message: matching(message),
        $metadata: expect.objectContaining({ httpStatusCode: 400 }),
      });
      expect(await messagesInQueue()).toBe(0);
    },
  );

  it.each(refusals)(
    'fails only the entry with %s in a SendMessageBatch',
    async (_what, MessageAttributes, message) => {
      const result = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: [
            { Id: 'bad', MessageBody: 'x', MessageAttributes },
            { Id: 'good', MessageBody: 'y', MessageAttributes: attributes(10) },
          ],
        }),
      );
      expect(result.Successful?.map((entry) => entry.Id)).toEqual(['good']);
      expect(result.Failed).toEqual([
        {
          Id: 'bad',
          SenderFault: true,
          Code: 'InvalidParameterValue',
          Message: matching(message),
        },
      ]);
      expect(await messagesInQueue()).toBe(1);
    },
  );

  it('accepts what SQS accepts: 10 attributes, custom labels, numbers of every documented form', async () => {
    const accepted: Record<string, MessageAttributeValue>[] = [
      attributes(10),
      {
        json: { DataType: 'String.json', StringValue: '{"a":1}' },
        count: { DataType: 'Number.int', StringValue: '-42' },
        gif: { DataType: 'Binary.gif', BinaryValue: new Uint8Array([71, 73, 70]) },
      },
      ...[
        '0',
        '+7',
        '-0.001',
        '.5',
        '5.',
        '1.5e3',
        '00012.3400',
        '12345678901234567890123456789012345678',
        '1e126',
        '-1E-128',
      ].map((n) => ({ n: { DataType: 'Number', StringValue: n } })),
    ];
    for (const MessageAttributes of accepted) {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageAttributes }),
      );
    }
    expect(await messagesInQueue()).toBe(accepted.length);
  });

  it('gives the AWS CLI the code AWS gives it', async () => {
    const refused = run(
      'aws',
      [
        'sqs',
        'send-message',
        '--endpoint-url',
        server.endpoint,
        '--queue-url',
        queueUrl,
        '--message-body',
        'x',
        '--message-attributes',
        JSON.stringify({ colour: { DataType: 'Text', StringValue: 'red' } }),
      ],
      { env: CLI_ENV },
    );
    await expect(refused).rejects.toMatchObject({
      stderr: expect.stringContaining(
        "An error occurred (InvalidParameterValue) when calling the SendMessage operation: The type of message (user) attribute 'colour' is invalid.",
      ),
    });
    expect(await messagesInQueue()).toBe(0);
  });
});

/** The exact message, or one that matches the pattern. */
function matching(message: string | RegExp): unknown {
  return message instanceof RegExp ? expect.stringMatching(message) : message;
}
