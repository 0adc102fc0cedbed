/**
 * DynamoDB's TTL settings, which dynalite lacks: `UpdateTimeToLive` and
 * `DescribeTimeToLive` per table, kept in `time-to-live.json` beside the
 * tables (in memory without a data folder). A table's TTL is enabled at once
 * (AWS takes up to an hour); turning it on twice is refused, as AWS does.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TimeToLiveSetting {
  readonly attributeName: string;
}

/** The TTL attribute of each table that has TTL enabled. */
export class TimeToLiveSettings {
  readonly #file: string | undefined;
  readonly #byTable: Map<string, TimeToLiveSetting>;

  constructor(dataDir: string | undefined) {
    this.#file = dataDir ? path.join(dataDir, 'time-to-live.json') : undefined;
    const saved =
      this.#file && existsSync(this.#file)
        ? (JSON.parse(readFileSync(this.#file, 'utf8')) as Record<string, TimeToLiveSetting>)
        : {};
    this.#byTable = new Map(Object.entries(saved));
  }

  get(table: string): TimeToLiveSetting | undefined {
    return this.#byTable.get(table);
  }

  enabled(): [string, TimeToLiveSetting][] {
    return [...this.#byTable.entries()];
  }

  set(table: string, setting: TimeToLiveSetting | undefined): void {
    if (setting) this.#byTable.set(table, setting);
    else this.#byTable.delete(table);
    if (this.#file) {
      writeFileSync(this.#file, `${JSON.stringify(Object.fromEntries(this.#byTable), null, 2)}\n`);
    }
  }
}

export type ApiReply = { status: number; body: unknown };

const error = (type: string, message: string): ApiReply => ({
  status: 400,
  body: { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message },
});
const validation = (message: string): ApiReply => ({
  status: 400,
  body: { __type: 'com.amazon.coral.validate#ValidationException', message },
});

/**
 * Answers `UpdateTimeToLive` and `DescribeTimeToLive` as DynamoDB does;
 * `tableExists` asks the tables themselves.
 */
export async function timeToLiveReply(
  operation: 'UpdateTimeToLive' | 'DescribeTimeToLive',
  request: Record<string, unknown>,
  settings: TimeToLiveSettings,
  tableExists: (table: string) => Promise<boolean>,
): Promise<ApiReply> {
  const table = request.TableName;
  if (typeof table !== 'string' || table.length < 3 || table.length > 255) {
    return validation(
      'TableName must be at least 3 characters long and at most 255 characters long',
    );
  }
  if (!(await tableExists(table))) {
    return error(
      'ResourceNotFoundException',
      `Requested resource not found: Table: ${table} not found`,
    );
  }
  const current = settings.get(table);
  if (operation === 'DescribeTimeToLive') {
    return {
      status: 200,
      body: {
        TimeToLiveDescription: current
          ? { TimeToLiveStatus: 'ENABLED', AttributeName: current.attributeName }
          : { TimeToLiveStatus: 'DISABLED' },
      },
    };
  }
  const spec = request.TimeToLiveSpecification as
    | { Enabled?: unknown; AttributeName?: unknown }
    | undefined;
  if (
    typeof spec?.Enabled !== 'boolean' ||
    typeof spec.AttributeName !== 'string' ||
    spec.AttributeName === ''
  ) {
    return validation(
      'TimeToLiveSpecification needs Enabled (a boolean) and AttributeName (a non-empty string)',
    );
  }
  if (spec.Enabled && current) return validation('TimeToLive is already enabled');
  if (!spec.Enabled && !current) return validation('TimeToLive is already disabled');
  if (!spec.Enabled && current?.attributeName !== spec.AttributeName) {
    return validation(
      `TimeToLive is enabled on attribute ${current?.attributeName}, not ${spec.AttributeName}`,
    );
  }
  settings.set(table, spec.Enabled ? { attributeName: spec.AttributeName } : undefined);
  return {
    status: 200,
    body: { TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName } },
  };
}
