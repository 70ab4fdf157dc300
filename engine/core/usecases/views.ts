import { firstKnown } from '../../../definitions/bpmn/texts.ts';
import type { InstanceRecord, Wait } from '../model.ts';
import type { Services } from '../services.ts';

/** An instance with its current activities named, no engine internals (times in epoch milliseconds; the HTTP layer writes them as ISO). */
export interface InstanceView {
  id: string;
  definitionId: string;
  processKey: string;
  /** The process's name (a catalog service's: 禁行道路通行证核发). */
  processName: string | null;
  version: number;
  businessKey: string | null;
  state: InstanceRecord['state'];
  /** The name of the state it is in (wf:state of the last node with one it reached): 待初审 … */
  stateName: string | null;
  parentId: string | null;
  startedAt: number;
  startedBy: string | null;
  endedAt: number | null;
  variables: InstanceRecord['variables'];
  /** What its applicant is told of its result (the process's wf:result, filled), once it is known. */
  result: string | null;
  activities: ActivityView[];
}

export interface ActivityView {
  activityId: string;
  name: string | null;
  kind: Wait['kind'];
  executionId: string;
  taskId?: string;
  timerId?: string;
  dueAt?: number;
  jobId?: string;
  handler?: string;
  message?: string;
  correlationKey?: string | null;
  signal?: string;
  childInstanceId?: string;
}

export async function instanceView(services: Services, record: Omit<InstanceRecord, 'engineState'>): Promise<InstanceView> {
  const definition = await services.definitions.get(record.definitionId);
  const names = definition.model.names;
  return {
    id: record.id,
    definitionId: record.definitionId,
    processKey: record.processKey,
    processName: definition.identity.name,
    version: record.version,
    businessKey: record.businessKey,
    state: record.state,
    stateName: record.stateName,
    parentId: record.parentId,
    startedAt: record.startedAt,
    startedBy: record.startedBy,
    endedAt: record.endedAt,
    variables: record.variables,
    result: firstKnown(definition.model.result, record.variables),
    activities: record.waits.map((w) => activityView(w, names[w.activityId] ?? null)),
  };
}

function activityView(w: Wait, name: string | null): ActivityView {
  const base = { activityId: w.activityId, name, kind: w.kind, executionId: w.executionId };
  switch (w.kind) {
    case 'task':
      return { ...base, taskId: w.taskId };
    case 'timer':
      return { ...base, timerId: w.timerId, dueAt: w.dueAt };
    case 'job':
      return { ...base, jobId: w.jobId, handler: w.handler };
    case 'message':
      return { ...base, message: w.name, correlationKey: w.correlationKey };
    case 'signal':
      return { ...base, signal: w.name };
    case 'call':
      return { ...base, childInstanceId: w.childInstanceId };
  }
}
