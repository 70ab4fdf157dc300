/**
 * Back-end sync (业务系统对接) with the bureau's business systems, after the
 * syncBusInfo interface: a system pulls a case by its id (our business key)
 * and pushes progress on it (UPDATE case id, state, detail), in JSON at
 * /api/callbacks/backend/sync or in the interface's XML (bare or as a SOAP
 * call) at /api/callbacks/backend/syncBusInfo. Each system has its own secret
 * (`system:<name>`) and sees only the processes and variables its settings
 * name. `backend.handOver` tells a system that a case is ready to pull.
 *
 * Requests both ways are signed like the other gateways (X-Timestamp,
 * X-Signature over timestamp and body); inbound ones name their system in
 * X-Business-System.
 */
import { t, ConnectorError, type Connector } from '../../engine/core/connectors/port.ts';
import { callSigned } from '../lib/http.ts';
import { backendSimulator } from './simulator.ts';
import { handleSync, jsonDialect, settingsOf, systemOf, updateKey, xmlDialect } from './sync.ts';

const NAME = '^[A-Za-z][A-Za-z0-9_-]{0,63}$';
/** An UPDATE may beat the flow to its receive task (the system decides while the hand-over step commits). */
const UPDATE_BUFFER_SECONDS = 24 * 3600;

export function backendSyncConnector(): Connector {
  return {
    name: 'backend',
    title: t('业务系统对接', 'Back-end sync'),
    settings: {
      type: 'object',
      required: ['systems', 'timeoutMs'],
      properties: {
        systems: {
          type: 'object',
          propertyNames: { pattern: NAME },
          additionalProperties: {
            type: 'object',
            required: ['url', 'processKeys', 'variables'],
            properties: {
              url: { type: 'string', format: 'uri', pattern: '^https?://' },
              /** Where the system answers queries (业务查询), if it does. */
              queryUrl: { type: 'string', format: 'uri', pattern: '^https?://' },
              processKeys: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
              variables: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' } },
            },
          },
        },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000 },
      },
    },
    secrets: ['system:*'],
    defaults: (simulator) => ({
      settings: {
        systems: {
          trafficSystem: {
            url: `${simulator.baseUrl}/systems/trafficSystem/ready`,
            queryUrl: `${simulator.baseUrl}/systems/trafficSystem/query`,
            processKeys: ['backend-sync-road-permit'],
            variables: ['applicantName', 'plateNumber', 'route', 'validFrom', 'validTo'],
          },
          // Systems that only answer queries here: they see no case (their process list names none that exists).
          ...Object.fromEntries(
            ['householdSystem', 'exitEntrySystem', 'vehicleSystem'].map((name) => [
              name,
              { url: `${simulator.baseUrl}/systems/${name}/ready`, queryUrl: `${simulator.baseUrl}/systems/${name}/query`, processKeys: ['-'], variables: [] },
            ]),
          ),
        },
        timeoutMs: 5000,
      },
      secrets: {
        'system:trafficSystem': 'backend-sim-traffic-system',
        'system:householdSystem': 'backend-sim-household-system',
        'system:exitEntrySystem': 'backend-sim-exit-entry-system',
        'system:vehicleSystem': 'backend-sim-vehicle-system',
      },
    }),
    operations: {
      query: {
        title: t('业务系统查询', 'Query a business system'),
        input: {
          type: 'object',
          required: ['system', 'query'],
          properties: { system: { type: 'string', pattern: NAME }, query: { type: 'string', pattern: NAME }, params: { type: 'object', maxProperties: 20 } },
        },
        async run(input, ctx) {
          const name = String(input.system);
          const system = systemOf(settingsOf(ctx.config), name);
          const secret = ctx.config.secrets[`system:${name}`];
          if (!system?.queryUrl || !secret) throw new ConnectorError(`no business system named ${name} that answers queries, or it has no secret`, false);
          const body = JSON.stringify({ requestId: ctx.idempotencyKey, query: input.query, params: input.params ?? {} });
          ctx.report({ request: { system: name, url: system.queryUrl, query: input.query } });
          const answer = await callSigned(system.queryUrl, secret, body, { signal: ctx.signal, timeoutMs: settingsOf(ctx.config).timeoutMs });
          const variables = (answer.body as { variables?: unknown } | null)?.variables;
          if (!variables || typeof variables !== 'object' || Array.isArray(variables)) throw new ConnectorError('the business system answered the query without variables', true, answer.body);
          ctx.report({ response: answer.body });
          // Only plain names come back as variables: an answer cannot overwrite anything else the case holds.
          return Object.fromEntries(Object.entries(variables).filter(([key]) => /^[a-z][A-Za-z0-9]{0,63}$/.test(key)));
        },
      },
      handOver: {
        title: t('通知业务系统取件', 'Tell a business system a case is ready'),
        input: { type: 'object', required: ['system'], properties: { system: { type: 'string', pattern: NAME }, caseId: { type: 'string', minLength: 1, maxLength: 100 } } },
        async run(input, ctx) {
          const name = String(input.system);
          const system = systemOf(settingsOf(ctx.config), name);
          const secret = ctx.config.secrets[`system:${name}`];
          if (!system || !secret) throw new ConnectorError(`no business system named ${name}, or it has no secret`, false);
          const caseId = typeof input.caseId === 'string' ? input.caseId : ctx.businessKey;
          if (!caseId) throw new ConnectorError('the case has no business key to hand over', false);
          const body = JSON.stringify({ requestId: ctx.idempotencyKey, caseId });
          ctx.report({ request: { system: name, url: system.url, caseId } });
          const answer = await callSigned(system.url, secret, body, { signal: ctx.signal, timeoutMs: settingsOf(ctx.config).timeoutMs });
          const ticket = (answer.body as { ticket?: unknown } | null)?.ticket;
          if (typeof ticket !== 'string') throw new ConnectorError('the business system answered without a ticket', true, answer.body);
          ctx.report({ response: answer.body });
          // The receive task waits on this key: an UPDATE from this system, for this case, and no other system's.
          return { backendTicket: ticket, backendCorrelationKey: updateKey(name, caseId) };
        },
      },
    },
    callbacks: {
      sync: { title: t('业务系统同步（JSON）', 'Business system sync (JSON)'), bufferSeconds: UPDATE_BUFFER_SECONDS, parse: (request, ctx) => handleSync(jsonDialect, request, ctx) },
      syncBusInfo: {
        title: t('业务系统同步（syncBusInfo XML）', 'Business system sync (syncBusInfo XML)'),
        bufferSeconds: UPDATE_BUFFER_SECONDS,
        parse: (request, ctx) => handleSync(xmlDialect, request, ctx),
      },
    },
    simulator: backendSimulator,
  };
}
