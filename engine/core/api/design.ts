/**
 * What analysts work on: BPMN definitions (deploy, versions, the XML), forms
 * and dictionaries. Every method takes the acting person and checks their
 * permission; reading forms and dictionaries is open to whoever fills them in.
 */
import type { FormDefinition } from '../../../forms/index.ts';
import type { DefinitionRecord, DictionaryRecord, FormRecord, InstanceState, Page, PageRequest } from '../model.ts';
import { demand, type Actor } from '../org/actor.ts';
import type { DefinitionSummary, DeployResult, DictionaryInput, FormDeployResult, FormSummary, Workflow } from '../workflow.ts';

export class DesignApi {
  constructor(private readonly workflow: Workflow) {}

  deploy(actor: Actor, xml: string): Promise<DeployResult[]> {
    demand(actor, 'definition:deploy');
    return this.workflow.deploy(xml, actor.id);
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
