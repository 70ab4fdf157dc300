/**
 * The service hall (办事大厅) for anyone, signed in or not: the open services
 * by class, one service's page, and — for an appointment service of a hall —
 * the places left in each time slot of a day, asked of the hall's queue
 * machine through its connector.
 */
import type { Api } from '../core/api/front-door.ts';
import type { Connectors } from '../core/connectors/facade.ts';
import { ConnectorError } from '../core/connectors/port.ts';
import { WorkflowError } from '../core/errors.ts';
import type { ApiRequest, Route } from './route.ts';
import { SERVICE_NUMBER } from './catalog-routes.ts';

const number = { type: 'object', required: ['number'], properties: { number: SERVICE_NUMBER } } as const;

export function hallRoutes(api: Api, connectors?: Connectors): Route[] {
  return [
    {
      method: 'get',
      path: '/api/hall',
      access: 'public',
      tag: 'catalog',
      summary: 'The service hall (办事大厅): business classes with their open, published services (type, fee, time limit, identity level, search codes)',
      responses: { 200: { description: 'the classes and their services' } },
      async handle() {
        return { body: { classes: await api.catalog.hall() } };
      },
    },
    {
      method: 'get',
      path: '/api/hall/services/:number',
      access: 'public',
      tag: 'catalog',
      summary: 'One service of the hall: its guide (the 13 items), fees, time limit, identity level, offices, and the steps of its flow by state name',
      params: number,
      responses: { 200: { description: 'the service' }, 404: { description: 'no such open service' } },
      async handle(req: ApiRequest<{ number: string }>) {
        return { body: await api.catalog.servicePage(req.params.number) };
      },
    },
    ...(connectors
      ? [
          {
            method: 'get',
            path: '/api/hall/services/:number/slots',
            access: 'public',
            tag: 'catalog',
            summary: 'The time slots of a day at the hall an appointment service books numbers at, each with its quota and the places left, and the application fields a picked slot fills (fields.date, fields.slot)',
            params: number,
            query: { type: 'object', additionalProperties: false, required: ['date'], properties: { date: { type: 'string', format: 'date' } } },
            responses: { 200: { description: 'the slots' }, 404: { description: 'no such open service, or one that books no numbers' } },
            async handle(req: ApiRequest<{ number: string }, { date: string }>) {
              const { hallId, fields } = await api.catalog.serviceHall(req.params.number);
              const answer = await connectors.operations.invoke('queue', 'slots', { hallId, date: req.query.date }, `slots:${hallId}:${req.query.date}`).catch((err: unknown) => {
                // The machine down or refusing (the connector is there: invoke found it): the caller is told so, not given a 500.
                if (err instanceof ConnectorError) throw new WorkflowError('WF_ERR_PROVIDER_UNAVAILABLE', { connector: connectors.registry.get('queue')!.title });
                throw err;
              });
              return { body: { hallId, date: req.query.date, fields, items: answer.queueSlots }, headers: { 'Cache-Control': 'no-store' } };
            },
          } satisfies Route,
        ]
      : []),
  ];
}
