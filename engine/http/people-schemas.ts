/** Request schemas of sign-in and the organisation's routes. */
import { ALL_PERMISSIONS, DATA_SCOPES } from '../core/permissions.ts';
import { localized as localizedText, query, text } from './schemas.ts';
import type { Schema } from './validation.ts';

const id: Schema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' };
const nullableId: Schema = { type: ['string', 'null'], pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' };
const mobile: Schema = { type: 'string', pattern: '^1[3-9]\\d{9}$' };
const localized = localizedText(128);
const roles: Schema = { type: 'array', items: id, maxItems: 50, uniqueItems: true };

const auditFilter: Schema = { actor: text(128), action: text(64), address: text(64), from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' } };

export const peopleRequests = {
  login: { type: 'object', additionalProperties: false, required: ['username', 'password'], properties: { username: text(64), password: { type: 'string', minLength: 1, maxLength: 128 } } },
  smsCode: { type: 'object', additionalProperties: false, required: ['mobile'], properties: { mobile } },
  smsLogin: { type: 'object', additionalProperties: false, required: ['mobile', 'code'], properties: { mobile, code: { type: 'string', pattern: '^\\d{6}$' } } },
  createToken: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: text(128), days: { type: 'integer', minimum: 1, maximum: 366 } } },
  putDepartment: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'parentId'],
    properties: { name: text(128), parentId: nullableId, headUserId: nullableId, sort: { type: 'integer', minimum: -1_000_000, maximum: 1_000_000 } },
  },
  usersQuery: query({ departmentId: id, children: { type: 'boolean', default: false }, role: id, post: text(64), keyword: text(64) }),
  putUser: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      username: text(64),
      name: text(128),
      kind: { enum: ['staff', 'citizen'] },
      mobile: { anyOf: [mobile, { type: 'null' }] },
      email: { anyOf: [{ type: 'string', format: 'email', maxLength: 255 }, { type: 'null' }] },
      password: { type: 'string', minLength: 1, maxLength: 128 },
      status: { enum: ['active', 'disabled'] },
      sort: { type: 'integer', minimum: -1_000_000, maximum: 1_000_000 },
      posts: {
        type: 'array',
        maxItems: 20,
        items: { type: 'object', additionalProperties: false, required: ['departmentId', 'post'], properties: { departmentId: id, post: text(64), primary: { type: 'boolean' } } },
      },
      roles,
    },
  },
  putRoles: { type: 'object', additionalProperties: false, required: ['roles'], properties: { roles } },
  putRole: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'permissions', 'dataScope'],
    properties: { name: localized, permissions: { type: 'array', items: { enum: ALL_PERMISSIONS }, maxItems: 100 }, dataScope: { enum: [...DATA_SCOPES] } },
  },
  importSheet: { type: 'object', additionalProperties: false, required: ['kind'], properties: { kind: { enum: ['departments', 'users'] } } },
  auditQuery: query(auditFilter),
  auditExportQuery: { type: 'object', additionalProperties: false, properties: auditFilter },
} satisfies Record<string, Schema>;
