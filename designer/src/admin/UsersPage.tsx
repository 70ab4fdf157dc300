/**
 * 人员: people by department (the tree on the left, with or without the
 * departments below), keyword, role and post; each with their posts and
 * roles. Add or edit a person (posts in several departments, the first
 * primary; roles for those who may grant them), reset a password, disable or
 * enable an account — each change checked by the server against the admin's
 * part of the organisation.
 */
import { CheckCircleOutlined, DownOutlined, EditOutlined, KeyOutlined, MinusCircleOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { App, AutoComplete, Button, Card, Checkbox, Col, Drawer, Dropdown, Form, Input, InputNumber, Modal, Radio, Row, Select, Space, Switch, Table, Tag, Tooltip, Tree, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api, type Page } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';
import { buildTree, DepartmentSelect, inScope, manageable, useDepartments, type DeptNode } from './org.tsx';
import { emptyText, ErrorAlert, forgetUserName, ID_PATTERN, PageHeader, RefreshButton, useFail, useFilters, useFormFail, useLoad, usePaging } from './shared.tsx';
import type { Department, Role, User } from './types.ts';

type FilterKey = 'dept' | 'children' | 'keyword' | 'role' | 'post';

export function useRoles() {
  return useLoad(() => api.get<{ items: Role[] }>('/api/org/roles').then((r) => r.items), []);
}

export function UsersPage() {
  const { t, text } = useI18n();
  const { me, can } = useSession();
  const { modal, message } = App.useApp();
  const fail = useFail();
  const filters = useFilters<FilterKey>();
  const departments = useDepartments();
  const roles = useRoles();
  const all = useMemo(() => departments.data ?? [], [departments.data]);
  const scope = useMemo(() => manageable(me, all), [me, all]);
  const dept = filters.get('dept');
  const children = filters.get('children') !== 'false';
  const [keywordDraft, setKeywordDraft] = useState(filters.get('keyword'));
  const [postDraft, setPostDraft] = useState(filters.get('post'));
  const [total, setTotal] = useState<number>();
  const paging = usePaging(filters, total);
  const query = { departmentId: dept || undefined, children: dept ? children : undefined, keyword: filters.get('keyword') || undefined, role: filters.get('role') || undefined, post: filters.get('post') || undefined };
  const users = useLoad(async () => {
    const page = await api.get<Page<User>>('/api/org/users', { ...query, offset: paging.offset, limit: paging.limit });
    setTotal(page.total);
    return page;
  }, [JSON.stringify(query), paging.offset, paging.limit]);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const mayManage = can('org:manage');
  const roleName = (key: string) => {
    const role = roles.data?.find((r) => r.key === key);
    return role ? text(role.name) : key;
  };
  /** An admin of part of the tree changes only people whose every post lies in it. */
  const mayChange = (u: User) => mayManage && (scope === null || (u.posts.length > 0 && u.posts.every((p) => inScope(scope, p.departmentId))));
  const filtered = Boolean(dept || filters.get('keyword') || filters.get('role') || filters.get('post'));
  const tree: DeptNode[] = useMemo(() => buildTree(all), [all]);

  const setStatus = (u: User, status: User['status']) => {
    modal.confirm({
      title: status === 'disabled' ? t('admin.user.disableTitle', { name: u.name }) : t('admin.user.enableTitle', { name: u.name }),
      content: status === 'disabled' ? t('admin.user.disableHint') : t('admin.user.enableHint'),
      okText: status === 'disabled' ? t('admin.user.disable') : t('admin.user.enable'),
      okButtonProps: { danger: status === 'disabled' },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api.put(`/api/org/users/${encodeURIComponent(u.id)}`, { name: u.name, status });
          void message.success(status === 'disabled' ? t('admin.user.disabledDone', { name: u.name }) : t('admin.user.enabledDone', { name: u.name }));
          users.reload();
        } catch (err) {
          fail(err);
        }
      },
    });
  };

  return (
    <>
      <PageHeader
        title={t('admin.user.title')}
        description={t('admin.user.description')}
        extra={
          <>
            <RefreshButton onClick={users.reload} loading={users.loading} />
            {mayManage && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
                {t('admin.user.create')}
              </Button>
            )}
          </>
        }
      />
      <Row gutter={16}>
        <Col xs={24} lg={6}>
          <Card size="small" title={t('admin.dept.tree')} styles={{ body: { maxHeight: 'calc(100vh - 220px)', overflow: 'auto' } }} loading={departments.loading && !departments.data}>
            <ErrorAlert error={departments.error} onRetry={departments.reload} />
            <Tree<DeptNode>
              treeData={tree}
              blockNode
              defaultExpandAll
              key={all.length}
              selectedKeys={dept ? [dept] : []}
              onSelect={(keys) => filters.set({ dept: keys.length ? String(keys[0]) : null })}
            />
            <Checkbox style={{ marginTop: 12 }} checked={children} disabled={!dept} onChange={(e) => filters.set({ children: e.target.checked ? null : 'false' })}>
              {t('admin.user.includeChildren')}
            </Checkbox>
          </Card>
        </Col>
        <Col xs={24} lg={18}>
          <Card size="small">
            <Space wrap style={{ marginBottom: 12 }}>
              <Input.Search
                allowClear
                placeholder={t('admin.user.keyword')}
                aria-label={t('admin.user.keyword')}
                value={keywordDraft}
                onChange={(e) => setKeywordDraft(e.target.value)}
                onSearch={(v) => filters.set({ keyword: v.trim() })}
                style={{ width: 240 }}
              />
              <Select
                allowClear
                placeholder={t('admin.user.role')}
                aria-label={t('admin.user.role')}
                value={filters.get('role') || undefined}
                onChange={(v: string | undefined) => filters.set({ role: v })}
                options={(roles.data ?? []).map((r) => ({ value: r.key, label: text(r.name) }))}
                style={{ width: 200 }}
              />
              <Input.Search allowClear placeholder={t('admin.user.postFilter')} aria-label={t('admin.user.postFilter')} value={postDraft} onChange={(e) => setPostDraft(e.target.value)} onSearch={(v) => filters.set({ post: v.trim() })} style={{ width: 180 }} />
              {filtered && (
                <Button
                  onClick={() => {
                    setKeywordDraft('');
                    setPostDraft('');
                    filters.set({ dept: null, keyword: null, role: null, post: null, children: null });
                  }}
                >
                  {t('common.reset')}
                </Button>
              )}
            </Space>
            <ErrorAlert error={users.error} onRetry={users.reload} />
            <Table<User>
              rowKey="id"
              size="middle"
              loading={users.loading}
              dataSource={users.data?.items ?? []}
              pagination={paging.pagination}
              locale={{ emptyText: emptyText(t, filtered, t('admin.user.empty')) }}
              scroll={{ x: 900 }}
              columns={[
                {
                  title: t('admin.user.name'),
                  key: 'name',
                  width: 150,
                  fixed: 'left',
                  render: (_, u) => (
                    <div>
                      <Typography.Text strong>{u.name}</Typography.Text>
                      {u.kind === 'citizen' && (
                        <Tag style={{ marginInlineStart: 6 }} color="purple">
                          {t('role.kind.citizen')}
                        </Tag>
                      )}
                      <div>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {u.username}
                        </Typography.Text>
                      </div>
                    </div>
                  ),
                },
                {
                  title: t('admin.user.posts'),
                  key: 'posts',
                  render: (_, u) =>
                    u.posts.length ? (
                      <Space size={[0, 4]} wrap>
                        {u.posts.map((p) => (
                          <Tooltip key={`${p.departmentId}:${p.post}`} title={p.primary ? t('admin.user.primaryPost') : undefined}>
                            <Tag color={p.primary ? 'blue' : undefined}>
                              {p.departmentName ?? p.departmentId} · {p.post}
                            </Tag>
                          </Tooltip>
                        ))}
                      </Space>
                    ) : (
                      <Typography.Text type="secondary">{t('admin.user.noPosts')}</Typography.Text>
                    ),
                },
                {
                  title: t('admin.user.roles'),
                  key: 'roles',
                  width: 180,
                  render: (_, u) => (
                    <Space size={[0, 4]} wrap>
                      {u.roles.map((r) => (
                        <Tag key={r} color="geekblue">
                          {roleName(r)}
                        </Tag>
                      ))}
                    </Space>
                  ),
                },
                { title: t('admin.user.mobile'), dataIndex: 'mobile', width: 120, render: (v: string | null) => v ?? '—' },
                {
                  title: t('admin.user.status'),
                  dataIndex: 'status',
                  width: 90,
                  render: (s: User['status'], u) => (
                    <Space size={4}>
                      {s === 'active' ? <Tag color="green">{t('admin.user.active')}</Tag> : <Tag color="default">{t('admin.user.disabled')}</Tag>}
                      {!u.hasPassword && u.kind === 'staff' && (
                        <Tooltip title={t('admin.user.noPasswordHint')}>
                          <Tag color="orange">{t('admin.user.noPassword')}</Tag>
                        </Tooltip>
                      )}
                    </Space>
                  ),
                },
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 130,
                  fixed: 'right',
                  render: (_, u) =>
                    mayChange(u) ? (
                      <Space size={0}>
                        <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(u)}>
                          {t('common.edit')}
                        </Button>
                        <Dropdown
                          trigger={['click']}
                          menu={{
                            items: [
                              ...(u.kind === 'staff' ? [{ key: 'password', icon: <KeyOutlined />, label: t('admin.user.resetPassword') }] : []),
                              ...(u.id === me?.id ? [] : u.status === 'active' ? [{ key: 'disable', icon: <StopOutlined />, danger: true, label: t('admin.user.disable') }] : [{ key: 'enable', icon: <CheckCircleOutlined />, label: t('admin.user.enable') }]),
                            ],
                            onClick: ({ key }) => (key === 'password' ? setResetting(u) : setStatus(u, key === 'disable' ? 'disabled' : 'active')),
                          }}
                        >
                          <Button type="link" size="small" aria-label={t('common.more')}>
                            {t('common.more')} <DownOutlined />
                          </Button>
                        </Dropdown>
                      </Space>
                    ) : (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {mayManage ? t('admin.user.outOfScope') : t('admin.readOnly')}
                      </Typography.Text>
                    ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      {editing && (
        <UserEditor
          user={editing === 'new' ? null : editing}
          departments={all}
          scope={scope}
          roles={roles.data ?? []}
          defaultDepartment={dept || null}
          onClose={() => setEditing(null)}
          onSaved={(u) => {
            setEditing(null);
            forgetUserName(u.id);
            users.reload();
          }}
        />
      )}
      {resetting && <PasswordReset user={resetting} onClose={() => setResetting(null)} />}
    </>
  );
}

interface UserForm {
  id: string;
  username: string;
  name: string;
  mobile: string;
  email: string;
  password: string;
  active: boolean;
  sort: number | null;
  posts: Array<{ departmentId: string | null; post: string }>;
  primary: number;
  roles: string[];
}

function UserEditor({ user, departments, scope, roles, defaultDepartment, onClose, onSaved }: { user: User | null; departments: Department[]; scope: Set<string> | null; roles: Role[]; defaultDepartment: string | null; onClose(): void; onSaved(u: User): void }) {
  const { t, text } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<UserForm>();
  const formFail = useFormFail(form);
  const [busy, setBusy] = useState(false);
  const mayGrant = can('role:manage');
  const primaryIndex = Math.max(0, user?.posts.findIndex((p) => p.primary) ?? 0);
  // Posts in use, offered as suggestions.
  const posts = useLoad(() => api.get<Page<User>>('/api/org/users', { limit: 200 }).then((p) => [...new Set(p.items.flatMap((u) => u.posts.map((x) => x.post)))].sort()), []);

  const submit = async (values: UserForm) => {
    setBusy(true);
    try {
      const id = user?.id ?? values.id.trim();
      const posts = values.posts.filter((p) => p.departmentId && p.post.trim()).map((p, i) => ({ departmentId: p.departmentId!, post: p.post.trim(), primary: i === values.primary }));
      if (posts.length && !posts.some((p) => p.primary)) posts[0]!.primary = true;
      const rolesChanged = !user || [...values.roles].sort().join() !== [...user.roles].sort().join();
      const saved = await api.put<User>(`/api/org/users/${encodeURIComponent(id)}`, {
        name: values.name.trim(),
        ...(values.username.trim() && { username: values.username.trim() }),
        mobile: values.mobile.trim() || null,
        email: values.email.trim() || null,
        ...(values.password && { password: values.password }),
        status: values.active ? 'active' : 'disabled',
        ...(values.sort !== null && values.sort !== undefined && { sort: values.sort }),
        posts,
        ...(mayGrant && rolesChanged && { roles: values.roles }),
      });
      void message.success(user ? t('common.saved') : t('admin.user.created', { name: saved.name }));
      onSaved(saved);
    } catch (err) {
      formFail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open
      size={640}
      title={user ? t('admin.user.editTitle', { name: user.name }) : t('admin.user.create')}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<UserForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          id: user?.id ?? '',
          username: user?.username ?? '',
          name: user?.name ?? '',
          mobile: user?.mobile ?? '',
          email: user?.email ?? '',
          password: '',
          active: (user?.status ?? 'active') === 'active',
          sort: user?.sort ?? null,
          posts: user ? user.posts.map((p) => ({ departmentId: p.departmentId, post: p.post })) : [{ departmentId: defaultDepartment && (scope === null || scope.has(defaultDepartment)) ? defaultDepartment : null, post: '' }],
          primary: primaryIndex,
          // A new person starts as a clerk, when the admin may grant roles at all.
          roles: user?.roles ?? (mayGrant ? ['clerk'].filter((r) => roles.some((x) => x.key === r)) : []),
        }}
      >
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="id" label={t('admin.user.id')} extra={!user && t('admin.user.idHint')} rules={user ? [] : [{ required: true, message: t('admin.required') }, { pattern: ID_PATTERN, message: t('admin.idPattern') }]}>
              <Input disabled={!!user} maxLength={64} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="username" label={t('admin.user.username')} extra={!user && t('admin.user.usernameHint')} rules={[{ max: 64 }]}>
              <Input maxLength={64} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="name" label={t('admin.user.name')} rules={[{ required: true, whitespace: true, message: t('admin.required') }]}>
              <Input maxLength={128} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="mobile" label={t('admin.user.mobile')} rules={[{ pattern: /^1[3-9]\d{9}$/, message: t('admin.user.mobileInvalid') }]}>
              <Input maxLength={11} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="email" label={t('admin.user.email')} rules={[{ type: 'email', message: t('admin.user.emailInvalid') }]}>
              <Input maxLength={255} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="sort" label={t('admin.dept.sort')}>
              <InputNumber min={-1_000_000} max={1_000_000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {!user && (
            <Col span={12}>
              <Form.Item name="password" label={t('admin.user.initialPassword')} extra={t('admin.user.passwordHint')}>
                <Input.Password autoComplete="new-password" maxLength={128} />
              </Form.Item>
            </Col>
          )}
          <Col span={12}>
            <Form.Item name="active" label={t('admin.user.status')} valuePropName="checked">
              <Switch checkedChildren={t('admin.user.active')} unCheckedChildren={t('admin.user.disabled')} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('admin.user.posts')}</Typography.Title>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('admin.user.postsHint')}
        </Typography.Paragraph>
        <Form.Item name="primary" noStyle>
          <Radio.Group style={{ width: '100%' }}>
            <Form.List name="posts">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field, index) => (
                    <Space key={field.key} align="baseline" style={{ display: 'flex', marginBottom: 4 }}>
                      <Form.Item name={[field.name, 'departmentId']} rules={[{ required: true, message: t('admin.required') }]} style={{ width: 260, marginBottom: 8 }}>
                        <DepartmentSelect departments={departments} choosable={scope} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'post']} rules={[{ required: true, whitespace: true, message: t('admin.required') }]} style={{ width: 160, marginBottom: 8 }}>
                        <AutoComplete
                          placeholder={t('admin.user.post')}
                          aria-label={t('admin.user.post')}
                          options={(posts.data ?? []).map((p) => ({ value: p }))}
                          showSearch={{ filterOption: (input, option) => String(option?.value ?? '').includes(input) }}
                          maxLength={64}
                        />
                      </Form.Item>
                      <Radio value={index}>{t('admin.user.primary')}</Radio>
                      <Button type="text" danger icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} />
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ departmentId: null, post: '' })} style={{ width: 260 }}>
                    {t('admin.user.addPost')}
                  </Button>
                </>
              )}
            </Form.List>
          </Radio.Group>
        </Form.Item>
        <Typography.Title level={5} style={{ marginTop: 24 }}>
          {t('admin.user.roles')}
        </Typography.Title>
        <Form.Item name="roles" extra={mayGrant ? t('admin.user.rolesHint') : t('admin.user.rolesReadOnly')}>
          <Select mode="multiple" disabled={!mayGrant} options={roles.map((r) => ({ value: r.key, label: t('admin.nameAndId', { name: text(r.name), id: r.key }) }))} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function PasswordReset({ user, onClose }: { user: User; onClose(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const formFail = useFormFail(form);
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={t('admin.user.resetTitle', { name: user.name })}
      okText={t('admin.user.resetPassword')}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('admin.user.resetHint')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={async (values) => {
          setBusy(true);
          try {
            await api.put(`/api/org/users/${encodeURIComponent(user.id)}`, { name: user.name, password: values.password });
            void message.success(t('admin.user.resetDone', { name: user.name }));
            onClose();
          } catch (err) {
            formFail(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="password" label={t('admin.user.newPassword')} rules={[{ required: true, message: t('admin.required') }]} extra={t('admin.user.passwordHint')}>
          <Input.Password autoComplete="new-password" maxLength={128} />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('admin.user.confirmPassword')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('admin.required') },
            ({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('admin.user.passwordMismatch')))) }),
          ]}
        >
          <Input.Password autoComplete="new-password" maxLength={128} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
