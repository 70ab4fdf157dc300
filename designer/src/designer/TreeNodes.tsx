/** The tree drawn as nested components: a chain of node cards with a + between them; splits as columns of branches. */
import { BranchesOutlined, CopyOutlined, PlusOutlined, UserOutlined, WarningFilled } from '@ant-design/icons';
import { Button, Dropdown, Typography } from 'antd';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { useDepartments } from '../forms/pickers.tsx';
import { describeRule } from './rules.ts';
import { findNode, newBranch, type ApprovalTree, type Branch, type TreeNode } from './tree-model.ts';

export interface TreeEditing {
  names: Record<'approver' | 'cc' | 'condition' | 'parallel' | 'branch' | 'otherwise', string>;
  fields: Array<{ name: string; title: string }>;
  /** The server's problem per node or branch id. */
  problems: Map<string, string>;
  add(after: string, type: TreeNode['type']): void;
  open(id: string): void;
  edit(change: (draft: ApprovalTree) => void): void;
}

const ICONS = { approver: <UserOutlined />, cc: <CopyOutlined />, condition: <BranchesOutlined />, parallel: <BranchesOutlined /> };

function AddButton({ after, editing }: { after: string; editing: TreeEditing }) {
  const { t } = useI18n();
  const types: TreeNode['type'][] = ['approver', 'cc', 'condition', 'parallel'];
  return (
    <div className="wf-tree-add">
      <Dropdown
        trigger={['click']}
        menu={{
          items: types.map((type) => ({ key: type, icon: ICONS[type], label: t(`designer.tree.add.${type}` as MessageKey) })),
          onClick: ({ key }) => editing.add(after, key as TreeNode['type']),
        }}
      >
        <Button shape="circle" size="small" type="primary" icon={<PlusOutlined />} aria-label={t('designer.tree.addHere')} />
      </Dropdown>
    </div>
  );
}

export function Chain({ first, after, editing }: { first: TreeNode | null; after: string; editing: TreeEditing }) {
  const nodes: TreeNode[] = [];
  for (let n = first; n; n = n.next) nodes.push(n);
  return (
    <>
      <AddButton after={after} editing={editing} />
      {nodes.map((node) => (
        <div key={node.id} className="wf-tree-step">
          {node.branches ? <Split node={node} editing={editing} /> : <NodeCard node={node} editing={editing} />}
          <AddButton after={node.id} editing={editing} />
        </div>
      ))}
    </>
  );
}

function useSummary() {
  const { t, list } = useI18n();
  const departments = useDepartments();
  const named = (id: string) => departments?.find((d) => d.id === id)?.name ?? id;
  return (node: TreeNode): string => {
    if (node.type === 'cc') return t('designer.tree.ccTo', { rule: node.to ? describeRule(node.to, t, list, named) : '—' });
    const who = node.assignees ? describeRule(node.assignees, t, list, named) : t('designer.tree.noAssignees');
    return node.sign && node.sign !== 'or' ? t('designer.labelled', { label: who, text: t(`designer.wf.sign.${node.sign}` as MessageKey) }) : who;
  };
}

function NodeCard({ node, editing }: { node: TreeNode; editing: TreeEditing }) {
  const summary = useSummary();
  const problem = editing.problems.get(node.id);
  return (
    <button type="button" className={`wf-tree-node wf-tree-${node.type}${problem ? ' wf-tree-invalid' : ''}`} onClick={() => editing.open(node.id)} data-node={node.id}>
      <span className="wf-tree-card-title">
        {ICONS[node.type]} {node.name}
      </span>
      <span className="wf-tree-card-body">{summary(node)}</span>
      {problem && (
        <span className="wf-tree-problem">
          <WarningFilled /> {problem}
        </span>
      )}
    </button>
  );
}

function Split({ node, editing }: { node: TreeNode; editing: TreeEditing }) {
  const { t } = useI18n();
  const conditional = node.type === 'condition';
  const addBranch = () =>
    editing.edit((d) => {
      const branches = findNode(d, node.id)?.branches;
      if (!branches) return;
      // A new condition goes before "otherwise", which stays last.
      const name = `${editing.names.branch} ${branches.length + (conditional ? 0 : 1)}`;
      branches.splice(conditional ? branches.length - 1 : branches.length, 0, newBranch(conditional, name));
    });
  return (
    <div className={`wf-tree-split wf-tree-${node.type}`} data-node={node.id}>
      <div className="wf-tree-split-head">
        <Button size="small" onClick={addBranch}>
          {conditional ? t('designer.tree.addCondition') : t('designer.tree.addBranch')}
        </Button>
        <Button size="small" type="text" onClick={() => editing.open(node.id)}>
          {node.name}
        </Button>
      </div>
      <div className="wf-tree-branches">
        {(node.branches ?? []).map((b) => (
          <div key={b.id} className="wf-tree-branch">
            <BranchCard branch={b} conditional={conditional} editing={editing} />
            <Chain first={b.child} after={b.id} editing={editing} />
          </div>
        ))}
      </div>
    </div>
  );
}

function BranchCard({ branch, conditional, editing }: { branch: Branch; conditional: boolean; editing: TreeEditing }) {
  const { t } = useI18n();
  const problem = editing.problems.get(branch.id);
  const title = (name: string) => editing.fields.find((f) => f.name === name)?.title ?? name;
  const condition = !conditional
    ? t('designer.tree.parallelBranch')
    : branch.when
      ? branch.when.map((r) => `${title(r.field) || '?'} ${r.op} ${String(r.value)}`).join(t('designer.tree.and'))
      : t('designer.tree.otherwiseBody');
  return (
    <button type="button" className={`wf-tree-node wf-tree-branch-card${problem ? ' wf-tree-invalid' : ''}`} onClick={() => editing.open(branch.id)} data-branch={branch.id}>
      <span className="wf-tree-card-title">{branch.name}</span>
      <Typography.Text className="wf-tree-card-body">{condition}</Typography.Text>
      {problem && (
        <span className="wf-tree-problem">
          <WarningFilled /> {problem}
        </span>
      )}
    </button>
  );
}
