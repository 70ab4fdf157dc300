/**
 * The connectors as the front door sees them: which there are, their settings
 * (views that name which secrets are set, never their values), the recent
 * callbacks and their outcomes, admin reports, inbound callbacks, and the
 * local simulators' requests.
 */
import { WorkflowError, type LocalizedText } from '../errors.ts';
import { ConnectorCallbacks, type CallbacksDeps, type Reply } from './callbacks.ts';
import { ConnectorOperations, type OperationsDeps } from './operations.ts';
import type { CallbackRecord, Connector, ConnectorRegistry, ConnectorStore, InboundRequest, SimRequest, SimResponse, SimulatorContext, StoredRecord } from './port.ts';
import { ConnectorSettings, type ConfigView, type SettingsOptions } from './settings.ts';

export type { ConfigView, Reply };

export class Connectors {
  readonly settings: ConnectorSettings;
  readonly operations: ConnectorOperations;
  readonly #callbacks: ConnectorCallbacks;

  constructor(
    readonly registry: ConnectorRegistry,
    readonly store: ConnectorStore,
    deps: OperationsDeps & CallbacksDeps,
    options: SettingsOptions & { baseUrl(): string },
  ) {
    this.settings = new ConnectorSettings(registry, store, deps.clock, options);
    this.operations = new ConnectorOperations(this.settings, store, deps);
    this.#callbacks = new ConnectorCallbacks(this.settings, store, deps);
    this.#baseUrl = options.baseUrl;
  }

  readonly #baseUrl: () => string;

  list(): Connector[] {
    return this.registry.list();
  }

  view(name: string): Promise<ConfigView> {
    return this.settings.view(name);
  }

  /** Replace the settings; returns the views before and after (for the audit trail). */
  async put(name: string, input: { settings: Record<string, unknown>; secrets?: Record<string, string> }, expectedRev: number | undefined, actor: string | null): Promise<{ before: ConfigView; after: ConfigView }> {
    const before = await this.settings.view(name);
    return { before, after: await this.settings.put(name, input, expectedRev, actor) };
  }

  async recentCallbacks(name: string, limit = 100): Promise<CallbackRecord[]> {
    this.settings.connector(name);
    return this.store.listCallbacks(name, limit);
  }

  /** One of the connector's reports for admins: the records of one kind, newest first. */
  async report(name: string, report: string, limit = 200): Promise<{ title: LocalizedText; items: StoredRecord[] }> {
    const spec = this.settings.connector(name).reports?.[report];
    if (!spec) throw new WorkflowError('WF_ERR_CONNECTOR_NOT_FOUND', { connector: `${name}/reports/${report}` });
    return { title: spec.title, items: await this.store.records(name).list(spec.kind, limit) };
  }

  handleCallback(name: string, callback: string, request: InboundRequest): Promise<Reply> {
    return this.#callbacks.handle(name, callback, request);
  }

  /** A request to a connector's simulator; `notify` sends its asynchronous notices (the HTTP layer's). */
  async simulate(name: string, request: SimRequest, notify: SimulatorContext['notify']): Promise<SimResponse> {
    const simulator = this.settings.connector(name).simulator;
    if (!simulator) throw new WorkflowError('WF_ERR_CONNECTOR_NOT_FOUND', { connector: `${name} (simulator)` });
    const ctx: SimulatorContext = {
      records: this.store.records(`sim:${name}`),
      config: await this.settings.config(name),
      callbackUrl: (callback) => `${this.#baseUrl()}/api/callbacks/${name}/${callback}`,
      notify,
      now: () => Date.now(),
    };
    return simulator.handle(request, ctx);
  }
}
