/**
 * Assignee rules (wf:assignees, wf:cc) built from the real organisation:
 * alternatives tried in order, each a kind — named people, a role, a post in
 * a department, a department (± below), the initiator, their department
 * head, their leader N levels up, a variable — picked, never typed. A
 * post's or a department's department may be the one a field names when the
 * case runs (the case's handling office, a hazard's territory). The text
 * it writes is what the server parses (engine/core/org/assignee-rules.ts);
 * the linter checks it again.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Input, InputNumber, Modal, Select, Space, TreeSelect, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../api/client.ts';
import { useLoad } from '../api/load.ts';
import { PeoplePicker, treeOf, useDepartments } from '../forms/pickers.tsx';
import { useI18n, type LocalizedText, type MessageKey } from '../i18n/index.tsx';
import { blank, departmentField, formatRule, KINDS, parseRule, type RuleKind, type RuleRow } from './rules.ts';

interface Role {
  key: string;
  name: LocalizedText;
}

export function AssigneeRuleModal({ value, onOk, onCancel }: { value: string; onOk(rule: string): void; onCancel(): void }) {
  const { t, text } = useI18n();
  const [rows, setRows] = useState<RuleRow[]>(() => (value ? parseRule(value) : [blank('department-head')]));
  const roles = useLoad(() => api.get<{ items: Role[] }>('/api/org/roles').then((p) => p.items), []);
  const departments = useDepartments();
  const tree = useMemo(() => {
    interface Option {
      value: string;
      title: string;
      children?: Option[];
    }
    const convert = (nodes: ReturnType<typeof treeOf>): Option[] => nodes.map((n) => ({ value: String(n.key), title: String(n.title), ...(n.children?.length && { children: convert(n.children) }) }));
    return convert(treeOf(departments ?? []));
  }, [departments]);
  const set = (i: number, change: Partial<RuleRow>) => setRows((all) => all.map((r, j) => (j === i ? { ...r, ...change } : r)));
  const rule = formatRule(rows);

  return (
    <Modal open title={t('designer.rule.title')} onCancel={onCancel} onOk={() => onOk(rule)} okText={t('common.confirm')} cancelText={t('common.cancel')} width={640}>
      <Typography.Paragraph type="secondary">{t('designer.rule.help')}</Typography.Paragraph>
      {rows.map((r, i) => (
        <Space key={i} className="wf-rule-row" wrap align="start">
          <Typography.Text className="wf-rule-order">{i === 0 ? t('designer.rule.first') : t('designer.rule.else')}</Typography.Text>
          <Select<RuleKind>
            aria-label={t('designer.rule.kind')}
            value={r.kind}
            style={{ width: 170 }}
            onChange={(kind) => set(i, blank(kind))}
            options={KINDS.map((k) => ({ value: k, label: t(`designer.rule.kind.${k}` as MessageKey) }))}
          />
          {r.kind === 'user' && (
            <div style={{ minWidth: 240 }}>
              <PeoplePicker multiple ariaLabel={t('designer.rule.users')} value={r.users} onChange={(v) => set(i, { users: Array.isArray(v) ? v : v ? [v] : [] })} />
            </div>
          )}
          {r.kind === 'role' && (
            <Select
              aria-label={t('designer.rule.role')}
              style={{ width: 220 }}
              showSearch={{ optionFilterProp: 'label' }}
              value={r.key || undefined}
              onChange={(key: string) => set(i, { key })}
              loading={roles.loading}
              options={(roles.data ?? []).map((role) => ({ value: role.key, label: text(role.name) }))}
            />
          )}
          {r.kind === 'post' && (
            <>
              <Input
                aria-label={t('designer.rule.post')}
                placeholder={t('designer.rule.postPlaceholder')}
                style={{ width: 160 }}
                value={r.key}
                onChange={(e) => set(i, { key: e.target.value.trim() })}
              />
              <DepartmentChoice
                label={t('designer.rule.postDepartment')}
                placeholder={t('designer.rule.initiatorsDepartment')}
                tree={tree}
                value={r.department}
                onChange={(department) => set(i, { department })}
              />
            </>
          )}
          {r.kind === 'department' && (
            <>
              <DepartmentChoice label={t('designer.rule.department')} tree={tree} value={r.department} onChange={(department) => set(i, { department })} />
              <Checkbox checked={r.children} onChange={(e) => set(i, { children: e.target.checked })}>
                {t('designer.rule.children')}
              </Checkbox>
            </>
          )}
          {r.kind === 'leader' && (
            <InputNumber
              aria-label={t('designer.rule.levels')}
              min={1}
              max={9}
              value={r.levels}
              onChange={(levels) => set(i, { levels: Number(levels) || 1 })}
              addonAfter={t('designer.rule.levelsUnit')}
            />
          )}
          {r.kind === 'variable' && (
            <Input
              aria-label={t('designer.rule.variable')}
              placeholder={t('designer.rule.variablePlaceholder')}
              style={{ width: 200 }}
              value={r.key}
              onChange={(e) => set(i, { key: e.target.value.trim() })}
            />
          )}
          <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('designer.rule.remove')} disabled={rows.length === 1} onClick={() => setRows((all) => all.filter((_, j) => j !== i))} />
        </Space>
      ))}
      <Button type="dashed" icon={<PlusOutlined />} onClick={() => setRows((all) => [...all, blank('role')])}>
        {t('designer.rule.add')}
      </Button>
      <Typography.Paragraph className="wf-rule-preview">
        {t('designer.rule.preview')} <Typography.Text code>{rule || '—'}</Typography.Text>
      </Typography.Paragraph>
    </Modal>
  );
}

interface TreeOption {
  value: string;
  title: string;
  children?: TreeOption[];
}

/** A department of the organisation, or the one a field names when the case runs (written `${field}`). */
function DepartmentChoice({ label, placeholder, tree, value, onChange }: { label: string; placeholder?: string; tree: TreeOption[]; value: string; onChange(department: string): void }) {
  const { t } = useI18n();
  const field = departmentField(value);
  const [fromField, setFromField] = useState(field !== null);
  return (
    <Space.Compact>
      <Select
        aria-label={t('designer.rule.departmentSource', { label })}
        style={{ width: 130 }}
        value={fromField ? 'field' : 'org'}
        onChange={(source: string) => {
          setFromField(source === 'field');
          onChange('');
        }}
        options={[
          { value: 'org', label: t('designer.rule.source.org') },
          { value: 'field', label: t('designer.rule.source.field') },
        ]}
      />
      {fromField ? (
        <Input
          aria-label={t('designer.rule.departmentField', { label })}
          placeholder="handlingOffice"
          style={{ width: 170 }}
          value={field ?? ''}
          onChange={(e) => onChange(e.target.value.trim() ? `\${${e.target.value.trim()}}` : '')}
        />
      ) : (
        <TreeSelect aria-label={label} placeholder={placeholder} allowClear style={{ width: 200 }} treeData={tree} value={value || undefined} onChange={(department: string | undefined) => onChange(department ?? '')} />
      )}
    </Space.Compact>
  );
}
