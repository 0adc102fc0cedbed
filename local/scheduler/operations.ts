/**
 * The Scheduler operations the local runtime serves, over the store: schedules
 * (Create, Get, List, Update, Delete) and schedule groups (Create, Get, List, Delete).
 * Each change is passed to `onChange`, so the runner arms or disarms the schedule.
 */
import { arns } from '../../core/arns.ts';
import { LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import { SchedulerApiError } from './protocol.ts';
import { DEFAULT_GROUP, type GroupRecord, type ScheduleRecord } from './records.ts';
import type { ScheduleStore } from './store.ts';
import { checkName, NAME_PATTERN, scheduleFields } from './validation.ts';

export interface OperationDeps {
  readonly store: ScheduleStore;
  readonly now: () => number;
  /** A schedule was created or changed (`record`), or deleted (undefined). */
  readonly onChange: (groupName: string, name: string, record: ScheduleRecord | undefined) => void;
}

type Query = URLSearchParams;
type Body = Record<string, unknown>;

const MAX_RESULTS = 100;

export function createSchedule(deps: OperationDeps, name: string, body: Body) {
  checkName('Name', name);
  const groupName = existingGroup(deps, body.GroupName);
  if (deps.store.schedule(groupName, name)) {
    throw new SchedulerApiError('ConflictException', `Schedule ${name} already exists.`);
  }
  const seconds = deps.now() / 1000;
  const record: ScheduleRecord = {
    Arn: arns.schedule(LOCAL_ENVIRONMENT, groupName, name),
    Name: name,
    GroupName: groupName,
    ...scheduleFields(body),
    CreationDate: seconds,
    LastModificationDate: seconds,
  };
  deps.store.putSchedule(record);
  deps.onChange(groupName, name, record);
  return { ScheduleArn: record.Arn };
}

/** Replaces every field, as UpdateSchedule does: one left out takes its default. */
export function updateSchedule(deps: OperationDeps, name: string, body: Body) {
  checkName('Name', name);
  const groupName = existingGroup(deps, body.GroupName);
  const existing = findSchedule(deps, groupName, name);
  const record: ScheduleRecord = {
    Arn: existing.Arn,
    Name: name,
    GroupName: groupName,
    ...scheduleFields(body),
    CreationDate: existing.CreationDate,
    LastModificationDate: deps.now() / 1000,
  };
  deps.store.putSchedule(record);
  deps.onChange(groupName, name, record);
  return { ScheduleArn: record.Arn };
}

export function getSchedule(deps: OperationDeps, name: string, query: Query) {
  checkName('Name', name);
  return findSchedule(deps, existingGroup(deps, query.get('groupName') ?? undefined), name);
}

export function deleteSchedule(deps: OperationDeps, name: string, query: Query) {
  checkName('Name', name);
  const groupName = existingGroup(deps, query.get('groupName') ?? undefined);
  findSchedule(deps, groupName, name);
  deps.store.deleteSchedule(groupName, name);
  deps.onChange(groupName, name, undefined);
  return {};
}

export function listSchedules(deps: OperationDeps, query: Query) {
  const groupName = query.get('ScheduleGroup') ?? undefined;
  if (groupName !== undefined) existingGroup(deps, groupName);
  const namePrefix = optionalPrefix(query);
  const state = query.get('State');
  if (state !== null && state !== 'ENABLED' && state !== 'DISABLED') {
    throw new SchedulerApiError(
      'ValidationException',
      `State is "${state}"; allowed: ENABLED or DISABLED`,
    );
  }
  const all = deps.store
    .schedules({ groupName, namePrefix })
    .map((s) => s.record)
    .filter((record) => state === null || record.State === state)
    .map((record) => ({
      Arn: record.Arn,
      Name: record.Name,
      GroupName: record.GroupName,
      State: record.State,
      CreationDate: record.CreationDate,
      LastModificationDate: record.LastModificationDate,
      Target: { Arn: record.Target.Arn },
    }));
  const { page, NextToken } = paginate(all, query);
  return { Schedules: page, ...(NextToken && { NextToken }) };
}

export function createGroup(deps: OperationDeps, name: string) {
  checkName('Name', name);
  if (deps.store.group(name)) {
    throw new SchedulerApiError('ConflictException', `Schedule group ${name} already exists.`);
  }
  const seconds = deps.now() / 1000;
  const group: GroupRecord = {
    Arn: arns.scheduleGroup(LOCAL_ENVIRONMENT, name),
    Name: name,
    State: 'ACTIVE',
    CreationDate: seconds,
    LastModificationDate: seconds,
  };
  deps.store.putGroup(group);
  return { ScheduleGroupArn: group.Arn };
}

export function getGroup(deps: OperationDeps, name: string) {
  checkName('Name', name);
  return findGroup(deps, name);
}

/** Deletes the group and its schedules at once (Scheduler does it in the background). */
export function deleteGroup(deps: OperationDeps, name: string) {
  checkName('Name', name);
  if (name === DEFAULT_GROUP) {
    throw new SchedulerApiError(
      'ValidationException',
      'The default schedule group cannot be deleted.',
    );
  }
  findGroup(deps, name);
  for (const record of deps.store.deleteGroup(name)) deps.onChange(name, record.Name, undefined);
  return {};
}

export function listGroups(deps: OperationDeps, query: Query) {
  const prefix = optionalPrefix(query) ?? '';
  const all = deps.store.groups().filter((group) => group.Name.startsWith(prefix));
  const { page, NextToken } = paginate(all, query);
  return { ScheduleGroups: page, ...(NextToken && { NextToken }) };
}

function existingGroup(deps: OperationDeps, value: unknown): string {
  const name = value === undefined || value === null ? DEFAULT_GROUP : value;
  if (typeof name !== 'string') {
    throw new SchedulerApiError(
      'ValidationException',
      `GroupName is ${JSON.stringify(name)}; allowed: a group name`,
    );
  }
  findGroup(deps, checkName('GroupName', name));
  return name;
}

function findGroup(deps: OperationDeps, name: string): GroupRecord {
  const group = deps.store.group(name);
  if (!group) {
    throw new SchedulerApiError(
      'ResourceNotFoundException',
      `Schedule group ${name} does not exist.`,
    );
  }
  return group;
}

function findSchedule(deps: OperationDeps, groupName: string, name: string): ScheduleRecord {
  const found = deps.store.schedule(groupName, name);
  if (!found) {
    throw new SchedulerApiError('ResourceNotFoundException', `Schedule ${name} does not exist.`);
  }
  return found.record;
}

function optionalPrefix(query: Query): string | undefined {
  const prefix = query.get('NamePrefix');
  if (prefix === null) return undefined;
  if (!NAME_PATTERN.test(prefix)) {
    throw new SchedulerApiError(
      'ValidationException',
      `NamePrefix is "${prefix}"; allowed: 1 to 64 of 0-9 a-z A-Z - _ .`,
    );
  }
  return prefix;
}

/** Pages of `MaxResults` (1 to 100); the token is the offset of the next page. */
function paginate<T>(all: readonly T[], query: Query): { page: T[]; NextToken?: string } {
  const max = query.get('MaxResults') === null ? MAX_RESULTS : Number(query.get('MaxResults'));
  if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS) {
    throw new SchedulerApiError(
      'ValidationException',
      `MaxResults is ${query.get('MaxResults')}; allowed: an integer from 1 to ${MAX_RESULTS}`,
    );
  }
  const token = query.get('NextToken');
  const offset = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) {
    throw new SchedulerApiError(
      'ValidationException',
      `NextToken "${token}" is not one this endpoint gave`,
    );
  }
  const page = all.slice(offset, offset + max);
  const next = offset + max;
  return next < all.length
    ? { page, NextToken: Buffer.from(String(next)).toString('base64url') }
    : { page };
}
