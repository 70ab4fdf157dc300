/**
 * 角色与权限: every role with what it may do (grouped as the menus are) and
 * how far its data reaches. Built-in roles are shown, not changed; custom
 * roles are made and edited by those who hold role:manage, never with more
 * than they hold themselves (the server says so when it is).
 */
import { EditOutlined, EyeOutlined, LockOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { App, Button, Card, Checkbox, Col, Descriptions, Drawer, Form, Input, Radio, Row, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';
import { emptyText, ErrorAlert, ID_PATTERN, PageHeader, RefreshButton, useFormFail, useLoad } from './shared.tsx';
import { DATA_SCOPES, PERMISSION_MENUS, type DataScope, type PermissionInfo, type PermissionMenu, type Role } from './types.ts';
import { useRoles } from './UsersPage.tsx';

export function scopeLabel(t: ReturnType<typeof useI18n>['t'], scope: DataScope): string {
  return t(`admin.scope.${scope}`);
}

const SCOPE_COLORS: Record<DataScope, string> = { own: 'default', department: 'cyan', 'department-and-children': 'blue', all: 'purple' };

export function RolesPage() {
  const { t, text } = useI18n();
  const { can } = useSession();
  const navigate = useNavigate();
  const roles = useRoles();
  const permissions = useLoad(() => api.get<{ items: PermissionInfo[] }>('/api/org/permissions').then((r) => r.items), []);
  const [open, setOpen] = useState<Role | 'new' | null>(null);
  const mayManage = can('role:manage');
  const permissionName = useMemo(() => new Map((permissions.data ?? []).map((p) => [p.key, text(p.name)])), [permissions.data, text]);

  return (
    <>
      <PageHeader
        title={t('admin.role.title')}
        description={t('admin.role.description')}
        extra={
          <>
            <RefreshButton onClick={roles.reload} loading={roles.loading} />
            {mayManage && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen('new')}>
                {t('admin.role.create')}
              </Button>
            )}
          </>
        }
      />
      <ErrorAlert error={roles.error ?? permissions.error} onRetry={() => (roles.reload(), permissions.reload())} />
      <Card size="small">
        <Table<Role>
          rowKey="key"
          loading={roles.loading}
          dataSource={roles.data ?? []}
          pagination={false}
          locale={{ emptyText: emptyText(t, false) }}
          columns={[
            {
              title: t('admin.role.name'),
              key: 'name',
              width: 240,
              render: (_, r) => (
                <Space orientation="vertical" size={0}>
                  <Space size={6}>
                    <Typography.Text strong>{text(r.name)}</Typography.Text>
                    {r.builtin && (
                      <Tooltip title={t('admin.role.builtinHint')}>
                        <Tag icon={<LockOutlined />}>{t('admin.role.builtin')}</Tag>
                      </Tooltip>
                    )}
                  </Space>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.key}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: t('admin.role.scope'), dataIndex: 'dataScope', width: 150, render: (s: DataScope) => <Tag color={SCOPE_COLORS[s]}>{scopeLabel(t, s)}</Tag> },
            {
              title: t('admin.role.permissions'),
              key: 'permissions',
              render: (_, r) => (
                <Space size={[0, 4]} wrap>
                  {r.permissions.map((p) => (
                    <Tooltip key={p} title={p}>
                      <Tag>{permissionName.get(p) ?? p}</Tag>
                    </Tooltip>
                  ))}
                </Space>
              ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 190,
              render: (_, r) => (
                <Space size={0}>
                  <Button type="link" size="small" icon={r.builtin || !mayManage ? <EyeOutlined /> : <EditOutlined />} onClick={() => setOpen(r)}>
                    {r.builtin || !mayManage ? t('common.view') : t('common.edit')}
                  </Button>
                  <Button type="link" size="small" icon={<TeamOutlined />} onClick={() => navigate(`/admin/users?role=${encodeURIComponent(r.key)}`)}>
                    {t('admin.role.members')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {open && (
        <RoleEditor
          role={open === 'new' ? null : open}
          permissions={permissions.data ?? []}
          readOnly={!mayManage || (open !== 'new' && open.builtin)}
          onClose={() => setOpen(null)}
          onSaved={() => {
            setOpen(null);
            roles.reload();
          }}
        />
      )}
    </>
  );
}

interface RoleForm {
  key: string;
  nameZh: string;
  nameEn: string;
  dataScope: DataScope;
  permissions: string[];
}

function RoleEditor({ role, permissions, readOnly, onClose, onSaved }: { role: Role | null; permissions: PermissionInfo[]; readOnly: boolean; onClose(): void; onSaved(): void }) {
  const { t, text } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<RoleForm>();
  const formFail = useFormFail(form);
  const [busy, setBusy] = useState(false);
  const chosen = Form.useWatch('permissions', form) ?? role?.permissions ?? [];
  const byMenu = PERMISSION_MENUS.map((menu) => ({ menu, items: permissions.filter((p) => p.menu === menu) })).filter((g) => g.items.length);

  const submit = async (values: RoleForm) => {
    setBusy(true);
    try {
      const key = role?.key ?? values.key.trim();
      await api.put(`/api/org/roles/${encodeURIComponent(key)}`, { name: { 'zh-CN': values.nameZh.trim(), en: values.nameEn.trim() }, permissions: values.permissions, dataScope: values.dataScope });
      void message.success(role ? t('common.saved') : t('admin.role.created', { name: values.nameZh }));
      onSaved();
    } catch (err) {
      formFail(err);
    } finally {
      setBusy(false);
    }
  };

  const toggleMenu = (menu: PermissionMenu, on: boolean) => {
    const keys = permissions.filter((p) => p.menu === menu).map((p) => p.key);
    const current: string[] = form.getFieldValue('permissions') ?? [];
    form.setFieldValue('permissions', on ? [...new Set([...current, ...keys])] : current.filter((k) => !keys.includes(k)));
  };

  return (
    <Drawer
      open
      size={720}
      title={role ? (readOnly ? text(role.name) : t('admin.role.editTitle', { name: text(role.name) })) : t('admin.role.create')}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: readOnly }}
      footer={
        !readOnly && (
          <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => form.submit()}>
              {t('common.save')}
            </Button>
          </Space>
        )
      }
    >
      {readOnly && role ? (
        <>
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 'key', label: t('admin.role.key'), children: role.key },
              { key: 'scope', label: t('admin.role.scope'), children: scopeLabel(t, role.dataScope) },
              { key: 'kind', label: t('admin.role.kind'), children: role.builtin ? t('admin.role.builtinHint') : t('admin.role.custom') },
            ]}
          />
          {byMenu.map(({ menu, items }) => (
            <div key={menu} style={{ marginTop: 16 }}>
              <Typography.Text strong>{t(`admin.menu.${menu}`)}</Typography.Text>
              <div style={{ marginTop: 6 }}>
                {items.map((p) => (
                  <Tag key={p.key} color={role.permissions.includes(p.key) ? 'blue' : undefined} style={{ opacity: role.permissions.includes(p.key) ? 1 : 0.45, marginBottom: 4 }}>
                    {text(p.name)}
                  </Tag>
                ))}
              </div>
            </div>
          ))}
        </>
      ) : (
        <Form<RoleForm>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ key: role?.key ?? '', nameZh: role?.name['zh-CN'] ?? '', nameEn: role?.name.en ?? '', dataScope: role?.dataScope ?? 'own', permissions: role?.permissions ?? [] }}
        >
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name="key" label={t('admin.role.key')} extra={!role && t('admin.idHint')} rules={role ? [] : [{ required: true, message: t('admin.required') }, { pattern: ID_PATTERN, message: t('admin.idPattern') }]}>
                <Input disabled={!!role} maxLength={64} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="nameZh" label={t('admin.nameZh')} rules={[{ required: true, whitespace: true, message: t('admin.required') }]}>
                <Input maxLength={128} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="nameEn" label={t('admin.nameEn')} rules={[{ required: true, whitespace: true, message: t('admin.required') }]}>
                <Input maxLength={128} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="dataScope" label={t('admin.role.scope')} extra={t('admin.role.scopeHint')}>
            <Radio.Group>
              <Space orientation="vertical">
                {DATA_SCOPES.map((s) => (
                  <Radio key={s} value={s}>
                    {scopeLabel(t, s)}
                    <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                      {t(`admin.scopeHint.${s}`)}
                    </Typography.Text>
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="permissions" label={t('admin.role.permissions')} extra={t('admin.role.permissionsHint')}>
            <Checkbox.Group style={{ width: '100%' }}>
              <div style={{ width: '100%' }}>
                {byMenu.map(({ menu, items }) => {
                  const count = items.filter((p) => chosen.includes(p.key)).length;
                  return (
                    <Card key={menu} size="small" style={{ marginBottom: 8 }} title={t(`admin.menu.${menu}`)} extra={<Checkbox checked={count === items.length} indeterminate={count > 0 && count < items.length} onChange={(e) => toggleMenu(menu, e.target.checked)}>{t('common.all')}</Checkbox>}>
                      <Row gutter={[8, 8]}>
                        {items.map((p) => (
                          <Col key={p.key} span={12}>
                            <Checkbox value={p.key}>
                              {text(p.name)}
                              <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
                                {p.key}
                              </Typography.Text>
                            </Checkbox>
                          </Col>
                        ))}
                      </Row>
                    </Card>
                  );
                })}
              </div>
            </Checkbox.Group>
          </Form.Item>
        </Form>
      )}
    </Drawer>
  );
}
