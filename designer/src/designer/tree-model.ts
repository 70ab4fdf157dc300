/**
 * The approval tree as the server takes it (POST /api/approval-trees/compile,
 * definitions/approval/tree.ts) and the edits the tree view makes on a copy:
 * add a node after a place in a chain, remove one, change one.
 */
export interface FieldRule {
  field: string;
  op: '>' | '>=' | '<' | '<=' | '==' | '!=';
  value: string | number | boolean;
}
export interface Branch {
  id: string;
  name: string;
  /** Conditions only; null: "otherwise". */
  when?: FieldRule[] | null;
  child: TreeNode | null;
}
export interface TreeNode {
  type: 'approver' | 'cc' | 'condition' | 'parallel';
  id: string;
  name: string;
  next: TreeNode | null;
  assignees?: string;
  assignMode?: 'auto' | 'candidates' | 'assign';
  sign?: string;
  fallback?: 'incident' | 'admin' | 'skip';
  dueDate?: string;
  rejectable?: boolean;
  editable?: string[];
  readonly?: string[];
  hidden?: string[];
  to?: string;
  branches?: Branch[];
}
export interface ApprovalTree {
  key: string;
  name: string;
  form: string | null;
  starters?: string;
  initiator: { editable?: string[]; readonly?: string[]; hidden?: string[] };
  first: TreeNode | null;
}

/** A place in a chain: the tree's first node, a node's next, or a branch's child. */
export type Place = { holder: ApprovalTree; prop: 'first' } | { holder: TreeNode; prop: 'next' } | { holder: Branch; prop: 'child' };

const newId = (prefix: string) => `${prefix}_${Math.random().toString(36).slice(2, 7)}`;

export function newNode(type: TreeNode['type'], names: Record<'approver' | 'cc' | 'condition' | 'parallel' | 'branch' | 'otherwise', string>): TreeNode {
  const base = { id: newId(type), name: names[type], next: null };
  switch (type) {
    case 'approver':
      return { ...base, type, assignees: 'department-head' };
    case 'cc':
      return { ...base, type, to: 'initiator' };
    case 'condition':
      return {
        ...base,
        type,
        branches: [
          { id: newId('branch'), name: `${names.branch} 1`, when: [{ field: '', op: '>', value: 0 }], child: null },
          { id: newId('branch'), name: names.otherwise, when: null, child: null },
        ],
      };
    case 'parallel':
      return {
        ...base,
        type,
        branches: [
          { id: newId('branch'), name: `${names.branch} 1`, child: null },
          { id: newId('branch'), name: `${names.branch} 2`, child: null },
        ],
      };
  }
}

export const newBranch = (conditional: boolean, name: string): Branch => ({ id: newId('branch'), name, ...(conditional && { when: [{ field: '', op: '>' as const, value: 0 }] }), child: null });

/** Every place in the tree, with the node at it. */
export function* places(tree: ApprovalTree): Generator<{ place: Place; node: TreeNode }> {
  function* chain(place: Place): Generator<{ place: Place; node: TreeNode }> {
    const node = (place.holder as unknown as Record<string, TreeNode | null>)[place.prop];
    if (!node) return;
    yield { place, node };
    for (const b of node.branches ?? []) yield* chain({ holder: b, prop: 'child' });
    yield* chain({ holder: node, prop: 'next' });
  }
  yield* chain({ holder: tree, prop: 'first' });
}

export function findNode(tree: ApprovalTree, id: string): TreeNode | null {
  for (const { node } of places(tree)) if (node.id === id) return node;
  return null;
}

export function findBranch(tree: ApprovalTree, id: string): Branch | null {
  for (const { node } of places(tree)) for (const b of node.branches ?? []) if (b.id === id) return b;
  return null;
}

const read = (place: Place) => (place.holder as unknown as Record<string, TreeNode | null>)[place.prop] ?? null;
const write = (place: Place, node: TreeNode | null) => ((place.holder as unknown as Record<string, TreeNode | null>)[place.prop] = node);

/** Insert `node` at the place the chain position `after` names (a node id: after it; a branch id or 'start': at its beginning). */
export function insertAfter(tree: ApprovalTree, after: string, node: TreeNode): void {
  let place: Place | null = after === 'start' ? { holder: tree, prop: 'first' } : null;
  if (!place) {
    const found = findNode(tree, after);
    if (found) place = { holder: found, prop: 'next' };
  }
  if (!place) {
    const branch = findBranch(tree, after);
    if (branch) place = { holder: branch, prop: 'child' };
  }
  if (!place) return;
  node.next = read(place);
  write(place, node);
}

export function removeNode(tree: ApprovalTree, id: string): void {
  for (const { place, node } of places(tree))
    if (node.id === id) {
      write(place, node.next);
      return;
    }
}

/** Remove a branch; a split left with one branch keeps it (the analyst adds another or removes the split). */
export function removeBranch(tree: ApprovalTree, id: string): void {
  for (const { node } of places(tree)) if (node.branches?.some((b) => b.id === id) && node.branches.length > 1) node.branches = node.branches.filter((b) => b.id !== id);
}
