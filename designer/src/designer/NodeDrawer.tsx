/** A node's or a branch's settings in a drawer: approvers (picked from the organisation), how they sign, field permissions, a branch's conditions. */
import { DeleteOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { Button, Checkbox, Drawer, Form, Input, InputNumber, Popconfirm, Select, Space } from 'antd';
import { useState } from 'react';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { AssigneeRuleModal } from './AssigneeRuleModal.tsx';
import type { Branch, FieldRule, TreeNode } from './tree-model.ts';

const OPS: FieldRule['op'][] = ['>', '>=', '<', '<=', '==', '!='];

export function NodeDrawer(p: {
  node: TreeNode | null;
  branch: Branch | null;
  fields: Array<{ name: string; title: string }>;
  onChange(change: Partial<TreeNode & Branch>): void;
  onRemove(): void;
  onClose(): void;
}) {
  const { t } = useI18n();
  const [picking, setPicking] = useState<'assignees' | 'to' | null>(null);
  const target = p.node ?? p.branch!;
  const fieldOptions = p.fields.map((f) => ({ value: f.name, label: f.title }));
  const node = p.node;
  const rules = p.branch?.when;

  return (
    <Drawer
      open
      title={target.name || t('designer.tree.settings')}
      onClose={p.onClose}
      size="default"
      extra={
        <Popconfirm title={t('designer.tree.removeConfirm')} onConfirm={p.onRemove} okText={t('common.confirm')} cancelText={t('common.cancel')}>
          <Button danger icon={<DeleteOutlined />}>
            {t('designer.tree.remove')}
          </Button>
        </Popconfirm>
      }
    >
      <Form layout="vertical">
        <Form.Item label={t('designer.tree.nodeName')}>
          <Input aria-label={t('designer.tree.nodeName')} value={target.name} onChange={(e) => p.onChange({ name: e.target.value })} />
        </Form.Item>
        {node && (node.type === 'approver' || node.type === 'cc') && (
          <Form.Item label={node.type === 'approver' ? t('designer.wf.assignees') : t('designer.tree.ccPeople')}>
            <Space.Compact style={{ width: '100%' }}>
              <Input
                aria-label={node.type === 'approver' ? t('designer.wf.assignees') : t('designer.tree.ccPeople')}
                value={node.type === 'approver' ? node.assignees : node.to}
                onChange={(e) => p.onChange(node.type === 'approver' ? { assignees: e.target.value } : { to: e.target.value })}
              />
              <Button icon={<TeamOutlined />} onClick={() => setPicking(node.type === 'approver' ? 'assignees' : 'to')}>
                {t('designer.wf.pickAssignees')}
              </Button>
            </Space.Compact>
          </Form.Item>
        )}
        {node?.type === 'approver' && (
          <>
            <Form.Item label={t('designer.wf.sign')}>
              <Select
                value={node.sign ?? 'or'}
                onChange={(sign: string) => p.onChange({ sign })}
                options={['or', 'all', 'sequential', '50%', '67%'].map((v) => ({ value: v, label: t(`designer.wf.sign.${v}` as MessageKey) }))}
              />
            </Form.Item>
            <Form.Item label={t('designer.wf.assignMode')}>
              <Select
                value={node.assignMode ?? 'auto'}
                onChange={(assignMode: TreeNode['assignMode']) => p.onChange({ assignMode })}
                options={['auto', 'candidates', 'assign'].map((v) => ({ value: v, label: t(`designer.wf.assignMode.${v}` as MessageKey) }))}
              />
            </Form.Item>
            <Form.Item>
              <Checkbox checked={node.rejectable !== false} onChange={(e) => p.onChange({ rejectable: e.target.checked ? undefined : false })}>
                {t('designer.tree.rejectable')}
              </Checkbox>
            </Form.Item>
            <Form.Item label={t('designer.wf.access.editable')} extra={t('designer.tree.accessHint')}>
              <Select mode="multiple" value={node.editable ?? []} onChange={(editable: string[]) => p.onChange({ editable: editable.length ? editable : undefined })} options={fieldOptions} />
            </Form.Item>
            <Form.Item label={t('designer.wf.access.hidden')}>
              <Select mode="multiple" value={node.hidden ?? []} onChange={(hidden: string[]) => p.onChange({ hidden: hidden.length ? hidden : undefined })} options={fieldOptions} />
            </Form.Item>
          </>
        )}
        {rules && (
          <Form.Item label={t('designer.tree.conditions')} extra={t('designer.tree.conditionsHint')}>
            {rules.map((r, i) => {
              const change = (c: Partial<FieldRule>) => p.onChange({ when: rules.map((x, j) => (j === i ? { ...x, ...c } : x)) });
              return (
                <Space key={i} className="wf-rule-row" wrap>
                  <Select aria-label={t('designer.tree.conditionField')} style={{ width: 150 }} value={r.field || undefined} onChange={(field: string) => change({ field })} options={fieldOptions} />
                  <Select
                    aria-label={t('designer.tree.conditionOp')}
                    style={{ width: 80 }}
                    value={r.op}
                    onChange={(op: FieldRule['op']) => change({ op })}
                    options={OPS.map((o) => ({ value: o, label: o }))}
                  />
                  {typeof r.value === 'number' ? (
                    <InputNumber aria-label={t('designer.tree.conditionValue')} value={r.value} onChange={(v) => change({ value: Number(v ?? 0) })} />
                  ) : (
                    <Input aria-label={t('designer.tree.conditionValue')} style={{ width: 120 }} value={String(r.value)} onChange={(e) => change({ value: e.target.value })} />
                  )}
                  <Select
                    aria-label={t('designer.tree.conditionType')}
                    style={{ width: 90 }}
                    value={typeof r.value}
                    onChange={(type: string) => change({ value: type === 'number' ? Number(r.value) || 0 : String(r.value) })}
                    options={[
                      { value: 'number', label: t('designer.tree.number') },
                      { value: 'string', label: t('designer.tree.text') },
                    ]}
                  />
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('designer.rule.remove')}
                    disabled={rules.length === 1}
                    onClick={() => p.onChange({ when: rules.filter((_, j) => j !== i) })}
                  />
                </Space>
              );
            })}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => p.onChange({ when: [...rules, { field: '', op: '==', value: '' }] })}>
              {t('designer.tree.addRule')}
            </Button>
          </Form.Item>
        )}
      </Form>
      {picking && node && (
        <AssigneeRuleModal
          value={(picking === 'assignees' ? node.assignees : node.to) ?? ''}
          onCancel={() => setPicking(null)}
          onOk={(rule) => {
            p.onChange(picking === 'assignees' ? { assignees: rule } : { to: rule });
            setPicking(null);
          }}
        />
      )}
    </Drawer>
  );
}
