/**
 * 部门: the department tree. Drag a department to reorder it among its
 * siblings or to move it under another (only within the part of the tree the
 * admin manages; a move asks first); the selected one shows its details and
 * members, and can be edited, given a sub-department or removed when empty.
 */
import { ApartmentOutlined, DeleteOutlined, EditOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Descriptions, Empty, Form, Input, InputNumber, Modal, Popconfirm, Row, Space, Table, Tag, Tooltip, Tree, Typography, type TreeProps } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, type Page } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';
import { buildTree, DepartmentSelect, inScope, manageable, pathOf, useDepartments, UserSelect, type DeptNode } from './org.tsx';
import { ErrorAlert, ID_PATTERN, PageHeader, RefreshButton, useFail, useFormFail, useLoad, UserName } from './shared.tsx';
import type { Department, User } from './types.ts';

interface Editing {
  mode: 'create' | 'edit';
  department?: Department;
  parentId: string | null;
}

interface DepartmentForm {
  id: string;
  name: string;
  parentId: string | null;
  headUserId: string | null;
  sort: number | null;
}

/** Nodes whose name or id contains `text`, with their ancestors. */
function filterTree(nodes: DeptNode[], text: string): DeptNode[] {
  if (!text) return nodes;
  const out: DeptNode[] = [];
  for (const node of nodes) {
    const children = filterTree(node.children, text);
    if (children.length || node.title.includes(text) || node.key.includes(text)) out.push({ ...node, children });
  }
  return out;
}

export function DepartmentsPage() {
  const { t } = useI18n();
  const { me, can } = useSession();
  const { modal, message } = App.useApp();
  const fail = useFail();
  const departments = useDepartments();
  const all = useMemo(() => departments.data ?? [], [departments.data]);
  const byId = useMemo(() => new Map(all.map((d) => [d.id, d])), [all]);
  const scope = useMemo(() => manageable(me, all), [me, all]);
  const mayManage = can('org:manage');
  // Nothing picked yet: the admin's own department when they manage part of the tree, else the top.
  const [picked, setSelected] = useState<string | null | undefined>(undefined);
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<Editing | null>(null);
  const [moving, setMoving] = useState(false);

  const tree = useMemo(() => filterTree(buildTree(all), search.trim()), [all, search]);
  const selected = picked !== undefined ? picked : ((scope !== null ? me?.departments.find((d) => byId.has(d)) : undefined) ?? all.find((d) => d.parentId === null)?.id ?? null);
  // Everything open at first (an organisation's tree is shallow), and while searching.
  const expandedKeys = search.trim() || expanded === null ? all.map((d) => d.id) : expanded;
  const current = selected ? byId.get(selected) : undefined;
  const childrenOf = (parentId: string | null) => all.filter((d) => d.parentId === parentId);

  const members = useLoad(
    () => (current ? api.get<Page<User>>('/api/org/users', { departmentId: current.id, limit: 100 }) : Promise.resolve(null)),
    [current?.id, departments.data],
  );

  /** Put `dragId` under `parentId` at `index` among its new siblings; siblings are renumbered 1, 2, 3 … where that changes. */
  const place = async (dragId: string, parentId: string | null, index: number) => {
    const dragged = byId.get(dragId);
    if (!dragged) return;
    const siblings = childrenOf(parentId).filter((d) => d.id !== dragId);
    siblings.splice(Math.max(0, Math.min(index, siblings.length)), 0, dragged);
    const changes = siblings
      .map((d, i) => ({ d, sort: i + 1 }))
      .filter(({ d, sort }) => d.sort !== sort || (d.id === dragId && d.parentId !== parentId));
    if (!changes.length) return;
    setMoving(true);
    try {
      // The moved department first: if the server refuses the move, nothing else changes.
      changes.sort((a, b) => (a.d.id === dragId ? -1 : b.d.id === dragId ? 1 : 0));
      for (const { d, sort } of changes) {
        await api.put(`/api/org/departments/${encodeURIComponent(d.id)}`, { name: d.name, parentId: d.id === dragId ? parentId : d.parentId, headUserId: d.headUserId, sort });
      }
      void message.success(dragged.parentId === parentId ? t('admin.dept.reordered') : t('admin.dept.moved', { name: dragged.name, parent: parentId ? (byId.get(parentId)?.name ?? parentId) : t('admin.dept.root') }));
    } catch (err) {
      fail(err);
    } finally {
      setMoving(false);
      departments.reload();
    }
  };

  const onDrop: TreeProps<DeptNode>['onDrop'] = (info) => {
    const dragId = String(info.dragNode.key);
    const dropId = String(info.node.key);
    const drop = byId.get(dropId);
    if (!drop) return;
    const pos = info.node.pos.split('-');
    const relative = info.dropPosition - Number(pos[pos.length - 1]);
    let parentId: string | null;
    let index: number;
    if (!info.dropToGap || (relative === 1 && info.node.expanded && (info.node.children?.length ?? 0) > 0)) {
      parentId = dropId;
      index = 0;
    } else {
      parentId = drop.parentId;
      const siblings = childrenOf(parentId).filter((d) => d.id !== dragId);
      const at = siblings.findIndex((d) => d.id === dropId);
      index = relative === -1 ? at : at + 1;
    }
    const dragged = byId.get(dragId);
    if (!dragged) return;
    if (dragged.parentId === parentId) {
      void place(dragId, parentId, index);
      return;
    }
    modal.confirm({
      title: t('admin.dept.moveTitle'),
      content: t('admin.dept.moveConfirm', { name: dragged.name, from: dragged.parentId ? pathOf(all, dragged.parentId) : t('admin.dept.root'), to: parentId ? pathOf(all, parentId) : t('admin.dept.root') }),
      okText: t('admin.dept.moveOk'),
      cancelText: t('common.cancel'),
      onOk: () => place(dragId, parentId, index),
    });
  };

  const remove = async (d: Department) => {
    try {
      await api.delete(`/api/org/departments/${encodeURIComponent(d.id)}`);
      void message.success(t('admin.dept.deleted', { name: d.name }));
      setSelected(d.parentId);
      departments.reload();
    } catch (err) {
      fail(err);
    }
  };

  const canChange = (id: string) => mayManage && inScope(scope, id);

  return (
    <>
      <PageHeader
        title={t('admin.dept.title')}
        description={mayManage ? (scope === null ? t('admin.dept.hintAll') : t('admin.dept.hintScoped')) : t('admin.dept.hintReadOnly')}
        extra={
          <>
            <RefreshButton onClick={departments.reload} loading={departments.loading} />
            {mayManage && (
              <Button type="primary" icon={<PlusOutlined />} disabled={scope !== null && !(current && inScope(scope, current.id))} onClick={() => setEditing({ mode: 'create', parentId: current?.id ?? (scope === null ? null : (me?.departments[0] ?? null)) })}>
                {current ? t('admin.dept.createUnder', { name: current.name }) : t('admin.dept.create')}
              </Button>
            )}
          </>
        }
      />
      <ErrorAlert error={departments.error} onRetry={departments.reload} />
      <Row gutter={16}>
        <Col xs={24} lg={9}>
          <Card
            title={
              <Space>
                <ApartmentOutlined />
                {t('admin.dept.tree')}
              </Space>
            }
            size="small"
            loading={departments.loading && !departments.data}
            styles={{ body: { minHeight: 420 } }}
          >
            <Input.Search allowClear placeholder={t('admin.dept.search')} aria-label={t('admin.dept.search')} value={search} onChange={(e) => setSearch(e.target.value)} style={{ marginBottom: 12 }} />
            {tree.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={search ? t('admin.empty.filtered') : t('admin.dept.empty')} />
            ) : (
              <Tree<DeptNode>
                treeData={tree}
                blockNode
                showLine
                disabled={moving}
                expandedKeys={expandedKeys}
                onExpand={(keys) => setExpanded(keys.map(String))}
                selectedKeys={selected ? [selected] : []}
                onSelect={(keys) => setSelected(keys.length ? String(keys[0]) : null)}
                draggable={mayManage && !search.trim() ? { icon: false, nodeDraggable: (node) => canChange(String(node.key)) } : false}
                allowDrop={({ dropNode, dropPosition }) => {
                  const parent = dropPosition === 0 ? dropNode.key : dropNode.department.parentId;
                  return inScope(scope, parent);
                }}
                onDrop={onDrop}
                titleRender={(node) => (
                  <span>
                    {node.title}
                    {!canChange(node.key) && mayManage && scope !== null && (
                      <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
                        {t('admin.dept.outOfScope')}
                      </Typography.Text>
                    )}
                  </span>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={15}>
          {!current ? (
            <Card size="small" styles={{ body: { minHeight: 420, display: 'flex', alignItems: 'center', justifyContent: 'center' } }}>
              <Empty description={t('admin.dept.pickHint')} />
            </Card>
          ) : (
            <Card
              size="small"
              title={current.name}
              extra={
                canChange(current.id) && (
                  <Space>
                    <Button size="small" icon={<EditOutlined />} onClick={() => setEditing({ mode: 'edit', department: current, parentId: current.parentId })}>
                      {t('common.edit')}
                    </Button>
                    {childrenOf(current.id).length > 0 || (members.data?.total ?? 0) > 0 ? (
                      <Tooltip title={t('admin.dept.notEmpty')}>
                        <Button size="small" danger disabled icon={<DeleteOutlined />}>
                          {t('common.delete')}
                        </Button>
                      </Tooltip>
                    ) : (
                      <Popconfirm
                        title={t('admin.dept.deleteTitle', { name: current.name })}
                        description={t('admin.dept.deleteHint')}
                        okText={t('common.delete')}
                        okButtonProps={{ danger: true }}
                        cancelText={t('common.cancel')}
                        onConfirm={() => remove(current)}
                      >
                        <Button size="small" danger icon={<DeleteOutlined />}>
                          {t('common.delete')}
                        </Button>
                      </Popconfirm>
                    )}
                  </Space>
                )
              }
            >
              <Descriptions
                size="small"
                column={{ xs: 1, md: 2 }}
                items={[
                  { key: 'id', label: t('admin.dept.id'), children: <Typography.Text copyable>{current.id}</Typography.Text> },
                  { key: 'parent', label: t('admin.dept.parent'), children: current.parentId ? pathOf(all, current.parentId) : t('admin.dept.root') },
                  { key: 'head', label: t('admin.dept.head'), children: <UserName id={current.headUserId} /> },
                  { key: 'sort', label: t('admin.dept.sort'), children: current.sort },
                  { key: 'children', label: t('admin.dept.children'), children: childrenOf(current.id).length },
                  { key: 'updated', label: t('admin.updatedAt'), children: <DateTime value={current.updatedAt} /> },
                ]}
              />
              <div style={{ display: 'flex', alignItems: 'center', margin: '16px 0 8px' }}>
                <Typography.Text strong style={{ flex: 1 }}>
                  <TeamOutlined /> {t('admin.dept.members', { count: members.data?.total ?? 0 })}
                </Typography.Text>
                <Link to={`/admin/users?dept=${encodeURIComponent(current.id)}`}>{t('admin.dept.openUsers')}</Link>
              </div>
              <ErrorAlert error={members.error} onRetry={members.reload} />
              <Table<User>
                size="small"
                rowKey="id"
                loading={members.loading}
                dataSource={members.data?.items ?? []}
                pagination={false}
                scroll={{ y: 360 }}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.dept.noMembers')} /> }}
                columns={[
                  { title: t('admin.user.name'), dataIndex: 'name', width: 120 },
                  { title: t('admin.user.username'), dataIndex: 'username', width: 140 },
                  {
                    title: t('admin.user.post'),
                    render: (_, u) =>
                      u.posts
                        .filter((p) => p.departmentId === current.id)
                        .map((p) => (
                          <Tag key={p.post} color={p.primary ? 'blue' : undefined}>
                            {p.post}
                          </Tag>
                        )),
                  },
                  {
                    title: t('admin.user.status'),
                    dataIndex: 'status',
                    width: 80,
                    render: (s: User['status']) => (s === 'active' ? <Tag color="green">{t('admin.user.active')}</Tag> : <Tag>{t('admin.user.disabled')}</Tag>),
                  },
                  {
                    title: t('admin.dept.isHead'),
                    width: 80,
                    render: (_, u) => (u.id === current.headUserId ? <Tooltip title={t('admin.dept.head')}><Tag color="gold">{t('admin.dept.headTag')}</Tag></Tooltip> : null),
                  },
                ]}
              />
            </Card>
          )}
        </Col>
      </Row>
      {editing && (
        <DepartmentEditor
          editing={editing}
          departments={all}
          scope={scope}
          onClose={() => setEditing(null)}
          onSaved={(d) => {
            setEditing(null);
            setSelected(d.id);
            if (d.parentId) setExpanded((keys) => (keys === null ? keys : [...new Set([...keys, d.parentId!])]));
            departments.reload();
          }}
        />
      )}
    </>
  );
}

function DateTime({ value }: { value: string | null | undefined }) {
  const { dateTime } = useI18n();
  return <>{dateTime(value)}</>;
}

function DepartmentEditor({ editing, departments, scope, onClose, onSaved }: { editing: Editing; departments: Department[]; scope: Set<string> | null; onClose(): void; onSaved(d: Department): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<DepartmentForm>();
  const formFail = useFormFail(form);
  const [busy, setBusy] = useState(false);
  const existing = editing.department;
  const siblings = departments.filter((d) => d.parentId === editing.parentId);

  const submit = async (values: DepartmentForm) => {
    setBusy(true);
    try {
      const id = existing?.id ?? values.id.trim();
      const saved = await api.put<Department>(`/api/org/departments/${encodeURIComponent(id)}`, {
        name: values.name.trim(),
        parentId: values.parentId ?? null,
        headUserId: values.headUserId ?? null,
        ...(values.sort !== null && values.sort !== undefined && { sort: values.sort }),
      });
      void message.success(existing ? t('common.saved') : t('admin.dept.created', { name: saved.name }));
      onSaved(saved);
    } catch (err) {
      formFail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={existing ? t('admin.dept.editTitle', { name: existing.name }) : t('admin.dept.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Form<DepartmentForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          id: existing?.id ?? '',
          name: existing?.name ?? '',
          parentId: existing ? existing.parentId : editing.parentId,
          headUserId: existing?.headUserId ?? null,
          sort: existing?.sort ?? (siblings.length ? Math.max(...siblings.map((d) => d.sort)) + 1 : 1),
        }}
      >
        <Form.Item
          name="id"
          label={t('admin.dept.id')}
          extra={!existing && t('admin.idHint')}
          rules={existing ? [] : [{ required: true, message: t('admin.required') }, { pattern: ID_PATTERN, message: t('admin.idPattern') }]}
        >
          <Input disabled={!!existing} maxLength={64} placeholder={t('admin.dept.idPlaceholder')} aria-label={t('admin.dept.idPlaceholder')} />
        </Form.Item>
        <Form.Item name="name" label={t('admin.dept.name')} rules={[{ required: true, whitespace: true, message: t('admin.required') }, { max: 128 }]}>
          <Input maxLength={128} />
        </Form.Item>
        <Form.Item name="parentId" label={t('admin.dept.parent')} extra={scope === null ? t('admin.dept.parentHint') : undefined} rules={scope === null ? [] : [{ required: true, message: t('admin.required') }]}>
          <DepartmentSelect departments={departments} choosable={scope} exclude={existing?.id} allowClear={scope === null} placeholder={t('admin.dept.root')} />
        </Form.Item>
        <Form.Item name="headUserId" label={t('admin.dept.head')} extra={t('admin.dept.headHint')}>
          <UserSelect />
        </Form.Item>
        <Form.Item name="sort" label={t('admin.dept.sort')} extra={t('admin.dept.sortHint')}>
          <InputNumber min={-1_000_000} max={1_000_000} precision={0} style={{ width: 160 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
