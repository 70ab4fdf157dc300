/**
 * A connector's settings per environment: stored (secrets sealed, never shown
 * again) or, until an admin configures it, its simulator's defaults — with
 * the simulator's published keys only while the simulators run. Kept briefly
 * in the process; a change elsewhere shows within CONFIG_TTL_MS.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { reasonFor } from '../../../forms/messages.ts';
import { t, WorkflowError, type LocalizedText } from '../errors.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import { TtlCache } from '../lib/ttl-cache.ts';
import { ConflictError, type Clock } from '../ports.ts';
import { isSecretOf, type Connector, type ConnectorConfig, type ConnectorRegistry, type ConnectorStore, type SimulatorAddress, type StoredConfig } from './port.ts';

const CONFIG_TTL_MS = 2000;

export interface SettingsOptions {
  environment: string;
  box: SecretBox;
  /**
   * The local simulators run: a connector nobody configured talks to its
   * simulator with the simulator's keys (published in the source code). Off,
   * such a connector has no secrets at all, so it refuses every callback.
   */
  simulators: boolean;
  /** Where a connector's simulator is reached (the composition root knows the address and the simulator servers' ports). */
  simulatorAddress(connector: string): SimulatorAddress;
}

export interface ConfigView {
  connector: string;
  environment: string;
  settings: Record<string, unknown>;
  /** Which secrets are set (their values never leave the server). */
  secrets: Record<string, boolean>;
  rev: number | null;
  /** `defaults`: nothing stored yet, the local simulator is used (or, without simulators, nothing works until configured). */
  source: 'stored' | 'defaults';
  /** What an admin must know: callbacks refused for want of a secret, the simulator's published keys in use. */
  warnings: LocalizedText[];
}

export class ConnectorSettings {
  readonly #ajv = new Ajv2020({ allErrors: true, strict: false });
  readonly #configs: TtlCache<string, ConnectorConfig>;

  constructor(
    readonly registry: ConnectorRegistry,
    private readonly store: ConnectorStore,
    private readonly clock: Clock,
    private readonly options: SettingsOptions,
  ) {
    addFormats.default(this.#ajv);
    this.#configs = new TtlCache(() => clock.now(), CONFIG_TTL_MS);
  }

  connector(name: string): Connector {
    const connector = this.registry.get(name);
    if (!connector) throw new WorkflowError('WF_ERR_CONNECTOR_NOT_FOUND', { connector: name });
    return connector;
  }

  /** The settings in force: stored for this environment, else the simulator's defaults. */
  async config(name: string): Promise<ConnectorConfig> {
    const cached = this.#configs.get(name);
    if (cached) return cached;
    const config = this.#configFrom(this.connector(name), await this.store.getConfig(name, this.options.environment));
    this.#configs.set(name, config);
    return config;
  }

  /** Read again on next use (a simulator server started and its port is known). */
  forget(name: string): void {
    this.#configs.delete(name);
  }

  #configFrom(connector: Connector, stored: StoredConfig | null): ConnectorConfig {
    if (stored) return { settings: stored.settings, secrets: stored.secrets ? this.options.box.open(stored.secrets) : {} };
    const defaults = connector.defaults(this.options.simulatorAddress(connector.name));
    // The simulator's keys are public: without the simulator they would let anyone forge a notice.
    return this.options.simulators ? defaults : { settings: defaults.settings, secrets: {} };
  }

  /** Why callbacks of this connector will be refused, or the simulator's keys are in use. */
  #warnings(connector: Connector, config: ConnectorConfig, stored: StoredConfig | null): LocalizedText[] {
    const warnings: LocalizedText[] = [];
    if (!stored && this.options.simulators) warnings.push(t('未配置：使用本地模拟器及其公开的密钥，仅供开发和演示', 'not configured: the local simulator and its published keys are in use, for development and demos only'));
    const missing = connector.secrets.filter((s) => !s.endsWith('*') && !config.secrets[s]);
    if (connector.callbacks && missing.length) warnings.push(t(`未配置密钥 ${missing.join('、')}：所有回调都将被拒绝`, `no ${missing.join(', ')} is configured: every callback is refused`));
    return warnings;
  }

  async view(name: string): Promise<ConfigView> {
    const connector = this.connector(name);
    return this.#view(connector, await this.store.getConfig(name, this.options.environment));
  }

  #view(connector: Connector, stored: StoredConfig | null): ConfigView {
    const config = this.#configFrom(connector, stored);
    return {
      connector: connector.name,
      environment: this.options.environment,
      settings: config.settings,
      secrets: Object.fromEntries([...connector.secrets.filter((s) => !s.endsWith('*')), ...Object.keys(config.secrets).filter((s) => isSecretOf(connector, s))].map((s) => [s, Boolean(config.secrets[s])])),
      rev: stored?.rev ?? null,
      source: stored ? 'stored' : 'defaults',
      warnings: this.#warnings(connector, config, stored),
    };
  }

  /** Connectors whose callbacks are refused for want of a secret (told in the log at start). */
  async unconfigured(): Promise<Array<{ connector: string; warnings: string[] }>> {
    const views = await Promise.all(this.registry.list().map((c) => this.view(c.name)));
    return views.filter((v) => v.warnings.length).map((v) => ({ connector: v.connector, warnings: v.warnings.map((w) => w.en) }));
  }

  /** Replace the settings; secrets given replace those stored, secrets left out stay (none the first time: not the simulator's). */
  async put(name: string, input: { settings: Record<string, unknown>; secrets?: Record<string, string> }, expectedRev: number | undefined, actor: string | null): Promise<ConfigView> {
    const connector = this.connector(name);
    const unknown = Object.keys(input.secrets ?? {}).find((s) => !isSecretOf(connector, s));
    if (unknown) throw new WorkflowError('WF_ERR_VALIDATION', { field: `secrets.${unknown}`, rule: 'unknown', reason: t('不是该连接器的密钥', 'is not a secret of this connector') }, `secrets.${unknown}`);
    const validate = this.#ajv.compile(connector.settings);
    if (!validate(input.settings)) {
      const e = validate.errors![0]!;
      const field = `settings${e.instancePath.replace(/\//g, '.')}${e.keyword === 'required' ? `.${String((e.params as { missingProperty?: string }).missingProperty)}` : ''}`;
      throw new WorkflowError('WF_ERR_VALIDATION', { field, rule: e.keyword, reason: reasonFor(e) }, field);
    }
    const stored = await this.store.getConfig(name, this.options.environment);
    if (stored && expectedRev !== undefined && stored.rev !== expectedRev) throw new WorkflowError('WF_ERR_CONCURRENT_MODIFICATION', { entity: 'connector', id: name });
    // The simulator's keys are in the source code: a first configuration starts with none of them.
    const secrets = { ...(stored?.secrets ? this.options.box.open(stored.secrets) : {}), ...input.secrets };
    const record: StoredConfig = { connector: name, environment: this.options.environment, settings: input.settings, secrets: this.options.box.seal(secrets), rev: (stored?.rev ?? 0) + 1, updatedAt: this.clock.now(), updatedBy: actor };
    try {
      await this.store.putConfig(record, stored?.rev ?? null);
    } catch (err) {
      if (err instanceof ConflictError) throw new WorkflowError('WF_ERR_CONCURRENT_MODIFICATION', { entity: 'connector', id: name });
      throw err;
    }
    this.#configs.delete(name);
    return this.#view(connector, record);
  }
}
