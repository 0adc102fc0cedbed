import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { arns } from '../../core/arns.ts';
import { LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import { DEFAULT_GROUP, type GroupRecord, type ScheduleRecord } from './records.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS schedule_groups (
  name TEXT PRIMARY KEY,
  record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS schedules (
  group_name TEXT NOT NULL,
  name TEXT NOT NULL,
  record TEXT NOT NULL,
  completed_at INTEGER,
  PRIMARY KEY (group_name, name)
);`;

/** A stored schedule and, for a one-time schedule kept after its run, when it ran (epoch ms). */
export interface StoredSchedule {
  readonly record: ScheduleRecord;
  readonly completedAtMs: number | undefined;
}

/** The file of the local Scheduler's state in the runtime's data folder. */
export const SCHEDULER_DB_FILE = 'scheduler.db';

/**
 * The local Scheduler's schedules and groups in SQLite (`node:sqlite`): in the data
 * folder, where every write is on disk when the call returns (a one-time schedule survives
 * `kill -9`), or in memory. Records are kept whole, as the API returns them.
 */
export class ScheduleStore {
  readonly #db: DatabaseSync;

  constructor(dataDir: string | undefined, now: () => number) {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    this.#db = new DatabaseSync(dataDir ? path.join(dataDir, SCHEDULER_DB_FILE) : ':memory:');
    this.#db.exec(SCHEMA);
    if (!this.group(DEFAULT_GROUP)) {
      const seconds = now() / 1000;
      this.putGroup({
        Arn: arns.scheduleGroup(LOCAL_ENVIRONMENT, DEFAULT_GROUP),
        Name: DEFAULT_GROUP,
        State: 'ACTIVE',
        CreationDate: seconds,
        LastModificationDate: seconds,
      });
    }
  }

  group(name: string): GroupRecord | undefined {
    const row = this.#db.prepare('SELECT record FROM schedule_groups WHERE name = ?').get(name);
    return row ? (JSON.parse(String(row.record)) as GroupRecord) : undefined;
  }

  groups(): GroupRecord[] {
    return this.#db
      .prepare('SELECT record FROM schedule_groups ORDER BY name')
      .all()
      .map((row) => JSON.parse(String(row.record)) as GroupRecord);
  }

  putGroup(group: GroupRecord): void {
    this.#db
      .prepare('INSERT OR REPLACE INTO schedule_groups (name, record) VALUES (?, ?)')
      .run(group.Name, JSON.stringify(group));
  }

  /** Deletes the group and every schedule in it, as Scheduler does. */
  deleteGroup(name: string): ScheduleRecord[] {
    const gone = this.schedules({ groupName: name }).map((s) => s.record);
    this.#db.prepare('DELETE FROM schedules WHERE group_name = ?').run(name);
    this.#db.prepare('DELETE FROM schedule_groups WHERE name = ?').run(name);
    return gone;
  }

  schedule(groupName: string, name: string): StoredSchedule | undefined {
    const row = this.#db
      .prepare('SELECT record, completed_at FROM schedules WHERE group_name = ? AND name = ?')
      .get(groupName, name);
    return row ? stored(row) : undefined;
  }

  /** Schedules in name order (group, then name), filtered as `ListSchedules` filters. */
  schedules(filter: { groupName?: string; namePrefix?: string } = {}): StoredSchedule[] {
    const { conditions, params } = nameFilter(filter);
    return this.#db
      .prepare(
        `SELECT record, completed_at FROM schedules ${where(conditions)} ORDER BY group_name, name`,
      )
      .all(...params)
      .map(stored);
  }

  /** How many one-time schedules in the group, with the prefix, have not run yet. */
  pendingCount(groupName: string, namePrefix: string): number {
    const { conditions, params } = nameFilter({ groupName, namePrefix });
    const row = this.#db
      .prepare(
        `SELECT COUNT(*) AS pending FROM schedules ${where([...conditions, 'completed_at IS NULL'])}`,
      )
      .get(...params);
    return Number(row?.pending ?? 0);
  }

  /** Creates or replaces a schedule; a replaced one-time schedule may run again. */
  putSchedule(record: ScheduleRecord): void {
    this.#db
      .prepare(
        'INSERT OR REPLACE INTO schedules (group_name, name, record, completed_at) VALUES (?, ?, ?, NULL)',
      )
      .run(record.GroupName, record.Name, JSON.stringify(record));
  }

  markCompleted(groupName: string, name: string, atMs: number): void {
    this.#db
      .prepare('UPDATE schedules SET completed_at = ? WHERE group_name = ? AND name = ?')
      .run(atMs, groupName, name);
  }

  deleteSchedule(groupName: string, name: string): boolean {
    const result = this.#db
      .prepare('DELETE FROM schedules WHERE group_name = ? AND name = ?')
      .run(groupName, name);
    return Number(result.changes) > 0;
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}

/**
 * `ListSchedules`' filters as SQL conditions. The prefix is compared with `substr`,
 * not `LIKE`, which ignores case and reads `%` and `_` as wildcards.
 */
function nameFilter(filter: { groupName?: string; namePrefix?: string }): {
  conditions: string[];
  params: string[];
} {
  const conditions: string[] = [];
  const params: string[] = [];
  if (filter.groupName !== undefined) {
    conditions.push('group_name = ?');
    params.push(filter.groupName);
  }
  if (filter.namePrefix) {
    conditions.push('substr(name, 1, length(?)) = ?');
    params.push(filter.namePrefix, filter.namePrefix);
  }
  return { conditions, params };
}

function where(conditions: readonly string[]): string {
  return conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
}

function stored(row: Record<string, unknown>): StoredSchedule {
  return {
    record: JSON.parse(String(row.record)) as ScheduleRecord,
    completedAtMs: row.completed_at === null ? undefined : Number(row.completed_at),
  };
}
