/**
 * What analysts work on: BPMN definitions (deploy, versions, the XML), forms
 * and dictionaries. Every method takes the acting person and checks their
 * permission; reading forms and dictionaries is open to whoever fills them in.
 */
import type { FormDefinition } from '../../../forms/index.ts';
import type { DefinitionRecord, DictionaryRecord, FormRecord, InstanceState, Page, PageRequest } from '../model.ts';
import { demand, type Actor } from '../org/actor.ts';
import type { ApprovalTree } from '../../../definitions/approval/tree.ts';
import type { ReadResult } from '../../../definitions/approval/read.ts';
import type { Problem } from '../../../definitions/bpmn/analyse.ts';
import { MODDLE_EXTENSIONS } from '../../../definitions/bpmn/moddle.ts';
import { approvalTreeOf, type CompiledTree } from '../usecases/approval-trees.ts';
import type { DeployOptions } from '../usecases/deploy.ts';
import type { SlaTable } from '../calendar/sla.ts';
import type { ScenarioRun } from '../usecases/scenarios.ts';
import type { DefinitionSummary, DeployResult, DictionaryInput, FormDeployResult, FormSummary, Workflow } from '../workflow.ts';

/** What the designer offers to pick from; `operations`: the connector operations with their input's JSON Schema, for the input mapping. */
export interface Vocabulary {
  extensions: { wf: unknown };
  calendars: string[];
  slas: string[];
  handlers: string[];
  operations: Array<{ handler: string; title: { 'zh-CN': string; en: string }; input: Record<string, unknown> }>;
  /** The SLA tables whole: the panel shows a picked one's limits, reminder and escalation steps. */
  slaTables: SlaTable[];
}

/** What the HTTP layer needs of the designer's vocabulary. */
export type { ApprovalTree, Problem };

export class DesignApi {
  constructor(private readonly workflow: Workflow) {}

  deploy(actor: Actor, xml: string, options: DeployOptions = {}): Promise<DeployResult[]> {
    demand(actor, 'definition:deploy');
    return this.workflow.deploy(xml, actor.id, options);
  }

  /** A draft's scenarios (saved in it, or given) run in sandboxes. */
  simulate(actor: Actor, xml: string, scenarios?: unknown[]): Promise<ScenarioRun> {
    demand(actor, 'definition:deploy');
    return this.workflow.simulate(xml, scenarios, actor.id);
  }

  /** The linter's findings on a draft, deploying nothing (the designer runs it as the analyst types). */
  lint(actor: Actor, xml: string): Promise<{ errors: Problem[]; warnings: Problem[] }> {
    demand(actor, 'definition:deploy');
    return this.workflow.lint(xml);
  }

  compileApprovalTree(actor: Actor, tree: ApprovalTree): Promise<CompiledTree> {
    demand(actor, 'definition:deploy');
    return this.workflow.compileApprovalTree(tree);
  }

  /** A process as an approval tree, or why it is not one. */
  approvalTree(actor: Actor, xml: string): Promise<ReadResult> {
    demand(actor, 'definition:read');
    return approvalTreeOf(xml);
  }

  /**
   * What the designer offers to pick from: the BPMN extension it writes (the
   * wf: descriptor, shared with the parser), working calendars, SLA tables and
   * service-task handlers by name.
   */
  vocabulary(actor: Actor): Vocabulary {
    demand(actor, 'definition:read');
    const { calendars, slas, handlers } = this.workflow.services;
    const operations = handlers.names().flatMap((name) => {
      const { title, input } = handlers.options(name);
      return title && input ? [{ handler: name, title, input }] : [];
    });
    return { extensions: { wf: MODDLE_EXTENSIONS.wf }, calendars: calendars.keys(), slas: slas.keys(), handlers: handlers.names(), operations, slaTables: slas.keys().map((key) => slas.get(key)!) };
  }

  definitions(actor: Actor, filter: { key?: string; latestOnly?: boolean }, page: PageRequest): Promise<Page<DefinitionSummary>> {
    demand(actor, 'definition:read');
    return this.workflow.listDefinitions(filter, page);
  }

  /** A version of a process (the latest when `version` is absent), with its XML. */
  definition(actor: Actor, key: string, version?: number): Promise<DefinitionRecord> {
    demand(actor, 'definition:read');
    return this.workflow.getDefinition(key, version);
  }

  versions(actor: Actor, key: string): Promise<Array<DefinitionSummary & { instances: Partial<Record<InstanceState, number>> }>> {
    demand(actor, 'definition:read');
    return this.workflow.versions(key);
  }

  deployForm(actor: Actor, definition: FormDefinition): Promise<FormDeployResult> {
    demand(actor, 'form:deploy');
    return this.workflow.deployForm(definition, actor.id);
  }

  forms(actor: Actor, filter: { key?: string; latestOnly?: boolean }, page: PageRequest): Promise<Page<FormSummary>> {
    demand(actor, 'form:read');
    return this.workflow.listForms(filter, page);
  }

  form(actor: Actor, key: string, version?: number): Promise<FormRecord> {
    demand(actor, 'form:read');
    return this.workflow.getForm(key, version);
  }

  /** Everyone signed in reads dictionaries (the choices of the forms they fill in). */
  dictionaries(_actor: Actor): Promise<DictionaryRecord[]> {
    return this.workflow.listDictionaries();
  }

  dictionary(_actor: Actor, key: string): Promise<DictionaryRecord> {
    return this.workflow.getDictionary(key);
  }

  /** Create or replace a dictionary; returns it before (null: new) and after, for the audit trail. */
  async putDictionary(actor: Actor, key: string, input: DictionaryInput, expectedRev: number | undefined): Promise<{ before: DictionaryRecord | null; after: DictionaryRecord }> {
    demand(actor, 'dictionary:manage');
    const before = await this.workflow.getDictionary(key).catch(() => null);
    return { before, after: await this.workflow.putDictionary(key, input, expectedRev, actor.id) };
  }
}
