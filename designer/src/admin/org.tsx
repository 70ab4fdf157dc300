/**
 * The organisation as the admin pages use it: the department tree, the part
 * of it the signed-in admin manages (their data scope: everything, their
 * departments, or those and below — the server checks the same), and pickers
 * for a department and a person.
 */
import { Select, TreeSelect, type SelectProps } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api, type Page } from '../api/client.ts';
import type { Me } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';
import { nameOf, useLoad } from './shared.tsx';
import type { Department, User } from './types.ts';

export interface DeptNode {
  key: string;
  title: string;
  value: string;
  department: Department;
  children: DeptNode[];
  disabled?: boolean;
}

export function useDepartments() {
  return useLoad(() => api.get<{ items: Department[] }>('/api/org/departments').then((r) => r.items), []);
}

/** The departments as a tree, each level in its sort order (the server sends them so). */
export function buildTree(departments: Department[], disabled?: (d: Department) => boolean): DeptNode[] {
  const byParent = new Map<string | null, Department[]>();
  for (const d of departments) {
    const siblings = byParent.get(d.parentId) ?? [];
    siblings.push(d);
    byParent.set(d.parentId, siblings);
  }
  const ids = new Set(departments.map((d) => d.id));
  const make = (d: Department): DeptNode => ({
    key: d.id,
    value: d.id,
    title: d.name,
    department: d,
    children: (byParent.get(d.id) ?? []).map(make),
    ...(disabled?.(d) && { disabled: true }),
  });
  // Roots: no parent, or a parent not in the list.
  return departments.filter((d) => d.parentId === null || !ids.has(d.parentId)).map(make);
}

/** Every department under `id`, itself included. */
export function subtree(departments: Department[], id: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    out.push(at);
    for (const d of departments) if (d.parentId === at) walk(d.id);
  };
  walk(id);
  return out;
}

/** The departments the admin may change (and place things in); null: all of them. */
export function manageable(me: Me | null | undefined, departments: Department[]): Set<string> | null {
  if (!me) return new Set();
  switch (me.dataScope) {
    case 'all':
      return null;
    case 'department':
      return new Set(me.departments);
    case 'department-and-children':
      return new Set(me.departments.flatMap((d) => subtree(departments, d)));
    default:
      return new Set();
  }
}

export const inScope = (scope: Set<string> | null, id: string | null) => (scope === null ? true : id !== null && scope.has(id));

/** The path of names from the root down to a department: 许昌市公安局 / 交警支队. */
export function pathOf(departments: Department[], id: string): string {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const names: string[] = [];
  for (let d = byId.get(id); d; d = d.parentId ? byId.get(d.parentId) : undefined) {
    names.unshift(d.name);
    if (names.length > 20) break;
  }
  return names.join(' / ');
}

interface DepartmentSelectProps {
  departments: Department[];
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** Only these are choosable (the rest show, greyed). */
  choosable?: Set<string> | null;
  /** Not choosable: a department and everything under it (where a department cannot move to). */
  exclude?: string;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  id?: string;
}

export function DepartmentSelect({ departments, value, onChange, choosable, exclude, placeholder, allowClear, style, id }: DepartmentSelectProps) {
  const { t } = useI18n();
  const excluded = useMemo(() => new Set(exclude ? subtree(departments, exclude) : []), [departments, exclude]);
  const tree = useMemo(() => buildTree(departments, (d) => excluded.has(d.id) || !inScope(choosable ?? null, d.id)), [departments, excluded, choosable]);
  return (
    <TreeSelect<string>
      id={id}
      treeData={tree}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      placeholder={placeholder ?? t('admin.dept.pick')}
      allowClear={allowClear}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      style={{ width: '100%', ...style }}
      popupMatchSelectWidth={false}
    />
  );
}

/** A person picked by searching name, username or mobile. */
export function UserSelect({ value, onChange, placeholder, style, id, allowClear = true }: { value?: string | null; onChange?: (value: string | null) => void; placeholder?: string; style?: React.CSSProperties; id?: string; allowClear?: boolean }) {
  const { t } = useI18n();
  const [keyword, setKeyword] = useState('');
  const [options, setOptions] = useState<NonNullable<SelectProps['options']>>([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    let current = true;
    setLoading(true);
    const timer = setTimeout(() => {
      api.get<Page<User>>('/api/org/users', { keyword: keyword.trim() || undefined, limit: 20 }).then(
        (page) => {
          if (!current) return;
          const found = page.items.map((u) => ({ value: u.id, label: t('admin.nameAndId', { name: u.name, id: u.username }) }));
          setOptions(found);
          setLoading(false);
          // Keep the chosen one shown by name even when the search does not find it.
          if (value && !found.some((o) => o.value === value)) {
            void nameOf(value).then((name) => current && setOptions((options) => [{ value, label: name ? t('admin.nameAndId', { name: name, id: value }) : value }, ...options.filter((o) => o.value !== value)]));
          }
        },
        () => current && setLoading(false),
      );
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [keyword, value]);
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setKeyword }}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      options={options}
      loading={loading}
      allowClear={allowClear}
      placeholder={placeholder ?? t('admin.user.pick')}
      aria-label={placeholder ?? t('admin.user.pick')}
      notFoundContent={loading ? null : t('admin.empty.none')}
      style={{ width: '100%', ...style }}
    />
  );
}
