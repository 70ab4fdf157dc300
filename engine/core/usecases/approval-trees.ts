/**
 * The approval-tree view's server side: a tree checked against the forms and
 * the assignee-rule syntax, compiled to BPMN and linted as deploying would;
 * BPMN read back as a tree, or the reason it is not one.
 */
import type { Problem } from '../../../definitions/bpmn/analyse.ts';
import { compileTree } from '../../../definitions/approval/compile.ts';
import { readTree, type ReadResult } from '../../../definitions/approval/read.ts';
import { treeProblems, type ApprovalTree, type TreeProblem } from '../../../definitions/approval/tree.ts';
import { ruleProblem } from '../org/assignee-rules.ts';
import { BpmnSyntaxError } from '../../../definitions/bpmn/moddle.ts';
import { WorkflowError } from '../errors.ts';
import type { Services } from '../services.ts';
import { formCatalog, lint } from './deploy.ts';

export interface CompiledTree {
  /** Null while the tree itself has problems. */
  xml: string | null;
  problems: TreeProblem[];
  /** The linter's findings on the compiled BPMN (none expected: the compiler writes what the linter accepts). */
  errors: Problem[];
  warnings: Problem[];
}

export async function compileApprovalTree(services: Services, tree: ApprovalTree): Promise<CompiledTree> {
  const fields = tree.form ? (await formCatalog(services)).fields(tree.form, null) : null;
  const problems = treeProblems(tree, fields, ruleProblem);
  if (tree.form && !fields) problems.push({ field: 'form', message: { 'zh-CN': `没有表单“${tree.form}”`, en: `there is no form "${tree.form}"` } });
  if (problems.length) return { xml: null, problems, errors: [], warnings: [] };
  const xml = compileTree(tree);
  const { errors, warnings } = (await lint(services, xml)).analysed;
  return { xml, problems, errors, warnings };
}

export async function approvalTreeOf(xml: string): Promise<ReadResult> {
  try {
    return await readTree(xml);
  } catch (err) {
    if (err instanceof BpmnSyntaxError) throw new WorkflowError('WF_ERR_BPMN_MALFORMED', { line: err.line, column: err.column, detail: err.detail }, 'xml');
    throw err;
  }
}
