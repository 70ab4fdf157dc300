/**
 * 数据字典: the choice lists of forms' select, radio and checkbox fields. Each
 * item has a value (what is stored) and a label in both languages; an item
 * once saved is never removed — cases keep its value — only disabled, so it is
 * no longer offered. Saving names the revision edited: when someone else saved
 * in between, the server refuses and says so.
 */
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Alert, Button, Card, Col, Drawer, Form, Input, Row, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { emptyText, ErrorAlert, ID_PATTERN, PageHeader, RefreshButton, useFormFail, useLoad, UserName } from './shared.tsx';
import type { Dictionary, DictionaryItem } from './types.ts';

export function DictionariesPage() {
  const { t, text, dateTime } = useI18n();
  const dictionaries = useLoad(() => api.get<{ items: Dictionary[] }>('/api/dictionaries').then((r) => r.items), []);
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<Dictionary | 'new' | null>(null);
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (dictionaries.data ?? []).filter((d) => !q || d.key.toLowerCase().includes(q) || d.name['zh-CN'].includes(q) || d.name.en.toLowerCase().includes(q));
  }, [dictionaries.data, search]);

  return (
    <>
      <PageHeader
        title={t('admin.dict.title')}
        description={t('admin.dict.description')}
        extra={
          <>
            <RefreshButton onClick={dictionaries.reload} loading={dictionaries.loading} />
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen('new')}>
              {t('admin.dict.create')}
            </Button>
          </>
        }
      />
      <ErrorAlert error={dictionaries.error} onRetry={dictionaries.reload} />
      <Card size="small">
        <Input.Search allowClear placeholder={t('admin.dict.search')} aria-label={t('admin.dict.search')} value={search} onChange={(e) => setSearch(e.target.value)} style={{ width: 280, marginBottom: 12 }} />
        <Table<Dictionary>
          rowKey="key"
          loading={dictionaries.loading}
          dataSource={shown}
          pagination={shown.length > 20 ? { pageSize: 20, showTotal: (total) => t('common.total', { total }) } : false}
          locale={{ emptyText: emptyText(t, !!search.trim(), t('admin.dict.empty')) }}
          columns={[
            {
              title: t('admin.dict.name'),
              key: 'name',
              render: (_, d) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Text strong>{text(d.name)}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {d.key}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('admin.dict.items'),
              key: 'items',
              render: (_, d) => {
                const active = d.items.filter((i) => !i.disabled);
                return (
                  <Space size={[0, 4]} wrap>
                    {active.slice(0, 6).map((i) => (
                      <Tag key={i.value}>{text(i.label)}</Tag>
                    ))}
                    {active.length > 6 && <Typography.Text type="secondary">{t('admin.dict.more', { count: active.length - 6 })}</Typography.Text>}
                    {d.items.length > active.length && <Tag color="default">{t('admin.dict.disabledCount', { count: d.items.length - active.length })}</Tag>}
                  </Space>
                );
              },
            },
            { title: t('admin.dict.rev'), dataIndex: 'rev', width: 80 },
            {
              title: t('admin.updatedAt'),
              key: 'updated',
              width: 200,
              render: (_, d) => (
                <Space orientation="vertical" size={0}>
                  <span>{dateTime(d.updatedAt)}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    <UserName id={d.updatedBy} />
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 100,
              render: (_, d) => (
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setOpen(d)}>
                  {t('common.edit')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {open && (
        <DictionaryEditor
          dictionary={open === 'new' ? null : open}
          taken={(dictionaries.data ?? []).map((d) => d.key)}
          onClose={() => setOpen(null)}
          onSaved={() => {
            setOpen(null);
            dictionaries.reload();
          }}
        />
      )}
    </>
  );
}

interface ItemRow extends DictionaryItem {
  /** Saved before: may be disabled, not removed. */
  saved: boolean;
  uid: number;
}

interface DictForm {
  key: string;
  nameZh: string;
  nameEn: string;
}

let nextUid = 1;

function DictionaryEditor({ dictionary, taken, onClose, onSaved }: { dictionary: Dictionary | null; taken: string[]; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<DictForm>();
  const formFail = useFormFail(form);
  const [busy, setBusy] = useState(false);
  const [rows, setRows] = useState<ItemRow[]>(() => (dictionary?.items ?? []).map((i) => ({ ...i, saved: true, uid: nextUid++ })));
  const [problem, setProblem] = useState<string | null>(null);
  // Empty cells are marked once a save was tried, not while typing a new item.
  const [tried, setTried] = useState(false);

  const change = (uid: number, patch: Partial<ItemRow>) => setRows((rs) => rs.map((r) => (r.uid === uid ? { ...r, ...patch } : r)));
  const move = (index: number, by: number) =>
    setRows((rs) => {
      const next = [...rs];
      const [row] = next.splice(index, 1);
      if (row) next.splice(index + by, 0, row);
      return next;
    });

  /** What the server would refuse anyway, said next to the table before sending. */
  const check = (): string | null => {
    const values = new Set<string>();
    for (const [i, r] of rows.entries()) {
      if (!r.value.trim() || !r.label['zh-CN'].trim() || !r.label.en.trim()) return t('admin.dict.rowIncomplete', { row: i + 1 });
      if (values.has(r.value.trim())) return t('admin.dict.duplicate', { value: r.value });
      values.add(r.value.trim());
    }
    return null;
  };

  const submit = async (values: DictForm) => {
    const wrong = check();
    setTried(true);
    setProblem(wrong);
    if (wrong) return;
    setBusy(true);
    try {
      const key = dictionary?.key ?? values.key.trim();
      await api.put(`/api/dictionaries/${encodeURIComponent(key)}`, {
        name: { 'zh-CN': values.nameZh.trim(), en: values.nameEn.trim() },
        items: rows.map((r) => ({ value: r.value.trim(), label: { 'zh-CN': r.label['zh-CN'].trim(), en: r.label.en.trim() }, ...(r.disabled && { disabled: true }) })),
        ...(dictionary && { rev: dictionary.rev }),
      });
      void message.success(t('common.saved'));
      onSaved();
    } catch (err) {
      formFail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open
      size={880}
      title={dictionary ? t('admin.dict.editTitle', { name: dictionary.name['zh-CN'] }) : t('admin.dict.create')}
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
      <Form<DictForm> form={form} layout="vertical" onFinish={submit} initialValues={{ key: dictionary?.key ?? '', nameZh: dictionary?.name['zh-CN'] ?? '', nameEn: dictionary?.name.en ?? '' }}>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item
              name="key"
              label={t('admin.dict.key')}
              extra={!dictionary && t('admin.dict.keyHint')}
              rules={
                dictionary
                  ? []
                  : [
                      { required: true, message: t('admin.required') },
                      { pattern: ID_PATTERN, message: t('admin.idPattern') },
                      { validator: (_, v: string) => (taken.includes(v?.trim()) ? Promise.reject(new Error(t('admin.dict.taken'))) : Promise.resolve()) },
                    ]
              }
            >
              <Input disabled={!!dictionary} maxLength={128} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="nameZh" label={t('admin.nameZh')} rules={[{ required: true, whitespace: true, message: t('admin.required') }]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="nameEn" label={t('admin.nameEn')} rules={[{ required: true, whitespace: true, message: t('admin.required') }]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <div style={{ display: 'flex', alignItems: 'center', marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0, flex: 1 }}>
          {t('admin.dict.items')}
        </Typography.Title>
        <Button icon={<PlusOutlined />} onClick={() => setRows((rs) => [...rs, { value: '', label: { 'zh-CN': '', en: '' }, saved: false, uid: nextUid++ }])}>
          {t('admin.dict.addItem')}
        </Button>
      </div>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('admin.dict.itemsHint')}
      </Typography.Paragraph>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 8 }} />}
      <Table<ItemRow>
        size="small"
        rowKey="uid"
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: emptyText(t, false, t('admin.dict.noItems')) }}
        columns={[
          { title: '#', key: 'n', width: 40, render: (_, __, i) => i + 1 },
          {
            title: t('admin.dict.value'),
            key: 'value',
            width: 150,
            render: (_, r) => (
              <Tooltip title={r.saved ? t('admin.dict.valueFixed') : undefined}>
                <Input size="small" value={r.value} disabled={r.saved} maxLength={64} onChange={(e) => change(r.uid, { value: e.target.value })} status={tried && !r.value.trim() ? 'error' : undefined} />
              </Tooltip>
            ),
          },
          { title: t('admin.nameZh'), key: 'zh', render: (_, r) => <Input size="small" value={r.label['zh-CN']} maxLength={200} onChange={(e) => change(r.uid, { label: { ...r.label, 'zh-CN': e.target.value } })} status={tried && !r.label['zh-CN'].trim() ? 'error' : undefined} /> },
          { title: t('admin.nameEn'), key: 'en', render: (_, r) => <Input size="small" value={r.label.en} maxLength={200} onChange={(e) => change(r.uid, { label: { ...r.label, en: e.target.value } })} status={tried && !r.label.en.trim() ? 'error' : undefined} /> },
          {
            title: t('admin.dict.enabled'),
            key: 'enabled',
            width: 80,
            render: (_, r) => <Switch size="small" checked={!r.disabled} onChange={(on) => change(r.uid, { disabled: !on })} />,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 110,
            render: (_, r, i) => (
              <Space size={0}>
                <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('admin.moveUp')} />
                <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === rows.length - 1} onClick={() => move(i, 1)} aria-label={t('admin.moveDown')} />
                {!r.saved && <Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => setRows((rs) => rs.filter((x) => x.uid !== r.uid))} aria-label={t('common.delete')} />}
              </Space>
            ),
          },
        ]}
      />
    </Drawer>
  );
}
