/**
 * JSON Schemas of the API: requests are validated with them and openapi.json is
 * built from them, so the document always says what the server checks.
 */
export type Schema = Record<string, unknown>;

/** No NUL characters: PostgreSQL cannot store them in text. */
const NO_NUL = '^[^\\u0000]*$';
export const text = (maxLength = 255): Schema => ({ type: 'string', minLength: 1, maxLength, pattern: NO_NUL });
export const nullableText = (maxLength = 255): Schema => ({ type: ['string', 'null'], maxLength, pattern: NO_NUL });
const version: Schema = { type: 'integer', minimum: 1, maximum: 2_147_483_647 };
const time: Schema = { type: ['string', 'null'], format: 'date-time' };
export const localized = (maxLength: number): Schema => ({
  type: 'object',
  additionalProperties: false,
  required: ['zh-CN', 'en'],
  properties: { 'zh-CN': text(maxLength), en: text(maxLength) },
});

export const variablesSchema: Schema = {
  type: 'object',
  description: 'Process variables: plain JSON values, or Camunda typed values {"value": …, "type": "Long"}.',
  maxProperties: 500,
};

export const pageQuery: Schema = {
  offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
  limit: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
};

export const query = (properties: Schema): Schema => ({ type: 'object', additionalProperties: false, properties: { ...pageQuery, ...properties } });

export const idParams: Schema = { type: 'object', required: ['id'], properties: { id: text(64) } };
export const keyParams: Schema = { type: 'object', required: ['key'], properties: { key: text(128) } };
export const keyVersionParams: Schema = { type: 'object', required: ['key', 'version'], properties: { key: text(128), version } };

const nodeId: Schema = { type: 'string', minLength: 1, maxLength: 64, pattern: NO_NUL };
const fieldList: Schema = { type: 'array', maxItems: 200, items: text(64) };
const access: Schema = { editable: fieldList, readonly: fieldList, hidden: fieldList };
const next: Schema = { anyOf: [{ $ref: '#/components/schemas/ApprovalNode' }, { type: 'null' }] };
/** An approval tree (definitions/approval/tree.ts): nodes nest through `next` and their branches' `child`. */
const approvalTree: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'name', 'form', 'initiator', 'first'],
  properties: {
    key: text(128),
    name: { type: 'string', maxLength: 255, pattern: NO_NUL },
    form: nullableText(128),
    starters: text(2000),
    initiator: { type: 'object', additionalProperties: false, properties: access },
    scenarios: { type: 'array', maxItems: 50, items: { type: 'object', maxProperties: 10 } },
    first: next,
  },
};

/** A condition or parallel node: its branches, each with what `more` adds (a condition's `when`) and the chain in it. */
const split = (type: 'condition' | 'parallel', more: Schema): Schema => ({
  additionalProperties: false,
  required: ['branches'],
  properties: {
    type: { const: type },
    id: true,
    name: true,
    next: true,
    branches: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', ...Object.keys(more), 'child'],
        properties: { id: nodeId, name: { type: 'string', maxLength: 255, pattern: NO_NUL }, ...more, child: next },
      },
    },
  },
});

/** A node of an approval tree (the ApprovalNode entity). */
const approvalNode: Schema = {
  type: 'object',
  required: ['type', 'id', 'name', 'next'],
  properties: { type: { enum: ['approver', 'cc', 'condition', 'parallel'] }, id: nodeId, name: { type: 'string', maxLength: 255, pattern: NO_NUL }, next },
  oneOf: [
    {
      additionalProperties: false,
      required: ['assignees'],
      properties: {
        type: { const: 'approver' },
        id: true,
        name: true,
        next: true,
        assignees: { type: 'string', maxLength: 2000, pattern: NO_NUL },
        assignMode: { enum: ['auto', 'candidates', 'assign'] },
        sign: text(16),
        fallback: { enum: ['incident', 'admin', 'skip'] },
        dueDate: text(32),
        rejectable: { type: 'boolean' },
        ...access,
      },
    },
    { additionalProperties: false, required: ['to'], properties: { type: { const: 'cc' }, id: true, name: true, next: true, to: { type: 'string', maxLength: 2000, pattern: NO_NUL } } },
    split('condition', {
      when: {
        anyOf: [
          {
            type: 'array',
            maxItems: 20,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['field', 'op', 'value'],
              properties: {
                // Empty while the analyst has not picked it yet: the tree's own check names it.
                field: { type: 'string', maxLength: 64, pattern: NO_NUL },
                op: { enum: ['>', '>=', '<', '<=', '==', '!='] },
                value: { anyOf: [{ type: 'string', maxLength: 255 }, { type: 'number' }, { type: 'boolean' }] },
              },
            },
          },
          { type: 'null' },
        ],
      },
    }),
    split('parallel', {}),
  ],
};

export const requests = {
  approvalTree: { type: 'object', additionalProperties: false, required: ['tree'], properties: { tree: approvalTree } },
  deployJson: {
    type: 'object',
    additionalProperties: false,
    required: ['xml'],
    properties: { xml: { type: 'string', minLength: 1, maxLength: 5_000_000, pattern: NO_NUL }, scenarioOverride: { ...text(500), description: 'deploy although a saved scenario fails: why' } },
  },
  simulate: {
    type: 'object',
    additionalProperties: false,
    required: ['xml'],
    properties: {
      xml: { type: 'string', minLength: 1, maxLength: 5_000_000, pattern: NO_NUL },
      scenarios: { type: 'array', maxItems: 50, items: { type: 'object', maxProperties: 10 }, description: 'scenarios to run instead of those saved in the xml' },
    },
  },
  definitionsQuery: query({ key: text(128), latest: { type: 'boolean', default: false } }),
  xmlQuery: { type: 'object', additionalProperties: false, properties: { version } },
  startInstance: {
    type: 'object',
    additionalProperties: false,
    required: ['processKey'],
    properties: { processKey: text(128), version, businessKey: nullableText(), variables: variablesSchema },
  },
  instancesQuery: query({
    processKey: text(128),
    version,
    state: { enum: ['running', 'completed', 'cancelled'] },
    stateName: text(64),
    businessKey: text(),
    parentId: text(64),
    startedBy: text(128),
  }),
  setVariables: { type: 'object', additionalProperties: false, required: ['variables'], properties: { variables: { ...variablesSchema, minProperties: 1 } } },
  cancelInstance: { type: 'object', additionalProperties: false, properties: { reason: nullableText(1000) } },
  cancelJob: {
    type: 'object',
    additionalProperties: false,
    required: ['reason', 'then'],
    properties: {
      reason: text(1000),
      then: { enum: ['continue', 'cancel-instance'], description: 'continue: the task goes on with `variables` (what was done by hand); cancel-instance: the case ends' },
      variables: variablesSchema,
    },
  },
  historyQuery: query({}),
  tasksQuery: query({
    instanceId: text(64),
    processKey: text(128),
    state: { enum: ['active', 'completed', 'cancelled'] },
    stateName: text(64),
    assignee: text(128),
    endedBy: text(128),
    candidateUser: text(128),
    candidateGroups: { type: 'array', items: text(128), maxItems: 100, description: 'comma-separated or repeated' },
    unassigned: { type: 'boolean' },
    initiator: text(128),
    keyword: text(100),
    dueBefore: { type: 'string', format: 'date-time' },
    dueAfter: { type: 'string', format: 'date-time' },
    dueState: { enum: ['on-time', 'near-due', 'overdue'] },
    sort: { enum: ['due', 'created', 'priority'], default: 'due' },
    order: { enum: ['asc', 'desc'], default: 'asc' },
  }),
  claimTask: { type: 'object', additionalProperties: false, properties: { userId: text(128) } },
  completeTask: { type: 'object', additionalProperties: false, properties: { variables: variablesSchema, rescue: { type: 'boolean' } } },
  taskError: {
    type: 'object',
    additionalProperties: false,
    required: ['errorCode'],
    properties: { errorCode: { type: 'string', minLength: 1, maxLength: 128 }, errorMessage: { type: 'string', maxLength: 1000 }, variables: variablesSchema, rescue: { type: 'boolean' } },
  },
  completeTasks: {
    type: 'object',
    additionalProperties: false,
    required: ['items'],
    properties: {
      items: {
        type: 'array',
        minItems: 1,
        maxItems: 100,
        items: { type: 'object', additionalProperties: false, required: ['taskId'], properties: { taskId: text(64), variables: variablesSchema } },
      },
    },
  },
  message: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: text(),
      correlationKey: nullableText(),
      variables: variablesSchema,
      all: { type: 'boolean', default: false },
      bufferSeconds: { type: 'integer', minimum: 0, maximum: 604_800 },
    },
  },
  signal: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: text(), variables: variablesSchema } },
  migrateInstances: {
    type: 'object',
    additionalProperties: false,
    required: ['processKey', 'toVersion'],
    properties: {
      processKey: text(128),
      toVersion: version,
      instanceIds: { type: 'array', items: text(64), minItems: 1, maxItems: 100, description: 'the instances to move (at most 100)' },
      fromVersion: { ...version, description: 'without instanceIds: the running instances of this version (100 per call; see remaining)' },
      mapping: {
        type: 'object',
        maxProperties: 1000,
        propertyNames: { minLength: 1, maxLength: 128 },
        additionalProperties: text(128),
        description: 'source activity id → target activity id; activities not named keep their id',
      },
      dryRun: { type: 'boolean', default: false, description: 'check everything, change nothing' },
    },
  },
  deployForm: {
    type: 'object',
    required: ['key', 'title', 'schema'],
    additionalProperties: false,
    properties: {
      key: text(64),
      title: localized(200),
      schema: { type: 'object', description: 'JSON Schema 2020-12 of the data (type object)' },
      ui: { type: 'object', description: 'order, fields (label, widget, placeholder, help, visibleWhen), sections, wizard' },
    },
  },
  formsQuery: query({ key: text(64), latest: { type: 'boolean', default: false } }),
  formData: { type: 'object', additionalProperties: false, required: ['data'], properties: { data: { type: 'object', maxProperties: 500 }, mode: { enum: ['submit', 'draft'], default: 'submit' } } },
  startFormSubmit: { type: 'object', additionalProperties: false, required: ['data'], properties: { data: { type: 'object', maxProperties: 500 }, businessKey: nullableText() } },
  putDictionary: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'items'],
    properties: {
      name: localized(200),
      items: {
        type: 'array',
        maxItems: 5000,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['value', 'label'],
          properties: { value: text(64), label: localized(200), disabled: { type: 'boolean' } },
        },
      },
      rev: { type: 'integer', minimum: 1, description: 'the revision you edited; 409 when someone else saved in between' },
    },
  },
  upload: {
    type: 'object',
    additionalProperties: false,
    properties: { form: text(64), formVersion: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' }, field: text(128), material: text(64) },
  },
  putConnectorConfig: {
    type: 'object',
    additionalProperties: false,
    required: ['settings'],
    properties: {
      settings: { type: 'object', description: "the connector's settings (see its schema)" },
      secrets: { type: 'object', maxProperties: 20, additionalProperties: text(4000), description: 'secrets to set: stored encrypted, never shown again' },
      rev: { type: 'integer', minimum: 1 },
    },
  },
  jobsQuery: query({ state: { enum: ['pending', 'done', 'failed', 'cancelled'] }, handler: text(128), instanceId: text(64) }),
  incidentsQuery: query({ instanceId: text(64), state: { enum: ['open', 'resolved'] } }),
} satisfies Record<string, Schema>;

const page = (item: Schema): Schema => ({
  type: 'object',
  required: ['items', 'total', 'offset', 'limit'],
  properties: { items: { type: 'array', items: item }, total: { type: 'integer' }, offset: { type: 'integer' }, limit: { type: 'integer' } },
});

export const entities = {
  ApprovalNode: approvalNode,
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'status', 'message'],
        properties: {
          code: { type: 'string', example: 'WF_ERR_TASK_NOT_ACTIVE' },
          status: { type: 'integer' },
          message: { type: 'string', description: 'In the caller’s language (Accept-Language; zh-CN by default).' },
          field: { type: 'string', description: 'The offending input field, when there is one.' },
          details: { type: 'object' },
        },
      },
    },
  },
  MigrationResult: {
    type: 'object',
    properties: {
      processKey: { type: 'string' },
      toVersion: { type: 'integer' },
      dryRun: { type: 'boolean' },
      instances: {
        type: 'array',
        items: {
          type: 'object',
          properties: { instanceId: { type: 'string' }, fromVersion: { type: 'integer' }, status: { enum: ['migrated', 'valid', 'unchanged'] } },
        },
      },
      remaining: { type: 'integer', description: 'running instances of fromVersion beyond this call' },
    },
  },
  Form: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      key: { type: 'string' },
      version: { type: 'integer' },
      title: { type: 'object' },
      hash: { type: 'string' },
      deployedAt: time,
      deployedBy: nullableText(),
      definition: { $ref: '#/components/schemas/FormDefinition', description: 'the form as deployed; when one form is read, not in lists' },
    },
  },
  FormDefinition: { type: 'object', description: 'key, title, schema (JSON Schema 2020-12), ui' },
  FormView: {
    type: 'object',
    description: 'a form as one node shows it: hidden fields removed, read-only ones marked readOnly; values and the caller’s draft',
    properties: { form: { type: 'object' }, values: { type: 'object' }, draft: { type: ['object', 'null'] } },
  },
  FormValidation: {
    type: 'object',
    properties: {
      valid: { type: 'boolean' },
      issues: { type: 'array', items: { type: 'object', properties: { pointer: { type: 'string' }, label: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } } } },
    },
  },
  Draft: { type: 'object', properties: { formKey: { type: 'string' }, formVersion: { type: 'integer' }, data: { type: 'object' }, updatedAt: time } },
  Dictionary: {
    type: 'object',
    properties: { key: { type: 'string' }, name: { type: 'object' }, items: { type: 'array', items: { type: 'object' } }, rev: { type: 'integer' }, updatedAt: time, updatedBy: nullableText() },
  },
  File: {
    type: 'object',
    properties: { id: { type: 'string' }, name: { type: 'string' }, contentType: { type: 'string' }, size: { type: 'integer' }, sha256: { type: 'string' }, createdAt: time },
  },
  Definition: {
    type: 'object',
    properties: { id: { type: 'string' }, key: { type: 'string' }, version: { type: 'integer' }, name: nullableText(), hash: { type: 'string' }, deployedAt: time, deployedBy: nullableText() },
  },
  DeployResult: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      key: { type: 'string' },
      version: { type: 'integer' },
      name: nullableText(),
      created: { type: 'boolean', description: 'false when identical content was already the latest version' },
      warnings: { type: 'array', items: { type: 'object' } },
    },
  },
  Activity: {
    type: 'object',
    properties: {
      activityId: { type: 'string' },
      name: nullableText(),
      kind: { enum: ['task', 'timer', 'job', 'message', 'signal', 'call'] },
      executionId: { type: 'string' },
      taskId: { type: 'string' },
      timerId: { type: 'string' },
      dueAt: time,
      jobId: { type: 'string' },
      handler: { type: 'string' },
      message: { type: 'string' },
      correlationKey: nullableText(),
      signal: { type: 'string' },
      childInstanceId: { type: 'string' },
    },
  },
  Instance: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      definitionId: { type: 'string' },
      processKey: { type: 'string' },
      processName: nullableText(),
      version: { type: 'integer' },
      businessKey: nullableText(),
      state: { enum: ['running', 'completed', 'cancelled'] },
      stateName: nullableText(),
      parentId: nullableText(),
      startedAt: time,
      startedBy: nullableText(),
      endedAt: time,
      variables: { type: 'object' },
      result: { ...nullableText(), description: 'what the applicant is told of its result (wf:result), once known' },
      activities: { type: 'array', items: { $ref: '#/components/schemas/Activity' } },
    },
  },
  Task: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      instanceId: { type: 'string' },
      processKey: { type: 'string' },
      businessKey: nullableText(),
      initiator: { ...nullableText(), description: 'who started the case' },
      activityId: { type: 'string' },
      name: nullableText(),
      state: { enum: ['active', 'completed', 'cancelled'] },
      assignee: nullableText(),
      candidateUsers: { type: 'array', items: { type: 'string' } },
      candidateGroups: { type: 'array', items: { type: 'string' } },
      formKey: nullableText(),
      priority: { type: 'integer' },
      dueAt: time,
      nearDueAt: time,
      dueState: { enum: ['on-time', 'near-due', 'overdue', null], description: 'against the due date; near due once 80 % of its time (on its working calendar) is used' },
      createdAt: time,
      claimedAt: time,
      endedAt: time,
      endedBy: nullableText(),
      owner: { ...nullableText(), description: 'who delegated the task (委派) and gets it back' },
      assignment: { type: ['object', 'null'], description: 'how wf:assignees resolved: rule, users, fallback' },
    },
  },
  HistoryEvent: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      at: time,
      kind: { type: 'string' },
      activityId: nullableText(),
      taskId: nullableText(),
      actor: nullableText(),
      data: { type: ['object', 'null'] },
    },
  },
  Delivery: {
    type: 'object',
    properties: {
      delivered: { type: 'array', items: { type: 'string' } },
      started: { type: 'array', items: { type: 'string' } },
      buffered: { type: 'boolean' },
      failed: { type: 'array', items: { type: 'object', properties: { instanceId: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } } },
    },
  },
  Incident: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      instanceId: { type: 'string' },
      activityId: { type: 'string' },
      kind: { enum: ['job', 'timer'] },
      message: { type: 'string' },
      state: { enum: ['open', 'resolved'] },
      createdAt: time,
      resolvedAt: time,
      resolvedBy: nullableText(),
    },
  },
} satisfies Record<string, Schema>;

export type EntityName = keyof typeof entities;
export const ref = (name: EntityName): Schema => ({ $ref: `#/components/schemas/${name}` });
export const pageOf = (name: EntityName): Schema => page(ref(name));
