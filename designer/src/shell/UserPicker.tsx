/**
 * Pick people: narrow by department (the tree) and search by name; the list
 * shows each person with their department. Used by transfer, delegate, add
 * signer and CC.
 */
import { Select, Space, TreeSelect } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api, type Page } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';

interface Department {
  id: string;
  parentId: string | null;
  name: string;
}
interface User {
  id: string;
  name: string;
  posts?: Array<{ departmentName: string }>;
}

interface TreeNode {
  value: string;
  title: string;
  children: TreeNode[];
}

export function departmentTree(rows: Department[]): TreeNode[] {
  const nodes = new Map(rows.map((d) => [d.id, { value: d.id, title: d.name, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const d of rows) {
    const node = nodes.get(d.id)!;
    const parent = d.parentId ? nodes.get(d.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

export function UserPicker({
  value,
  onChange,
  multiple,
  id,
  placeholder,
}: {
  value?: string | string[];
  onChange?: (value: string | string[]) => void;
  multiple?: boolean;
  id?: string;
  placeholder?: string;
}) {
  const { t } = useI18n();
  const [departments, setDepartments] = useState<Department[]>([]);
  const [department, setDepartment] = useState<string>();
  const [keyword, setKeyword] = useState('');
  const [users, setUsers] = useState<User[]>([]);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    api.get<Page<Department>>('/api/org/departments').then(
      (p) => setDepartments(p.items),
      () => setDepartments([]),
    );
  }, []);
  useEffect(() => {
    setLoading(true);
    const timer = setTimeout(() => {
      api
        .get<Page<User>>('/api/org/users', {
          departmentId: department,
          children: department ? true : undefined,
          keyword: keyword || undefined,
          limit: 50,
        })
        .then(
          (p) => setUsers(p.items),
          () => setUsers([]),
        )
        .finally(() => setLoading(false));
    }, 200);
    return () => clearTimeout(timer);
  }, [department, keyword]);
  const tree = useMemo(() => departmentTree(departments), [departments]);

  return (
    <Space.Compact style={{ width: '100%' }}>
      <TreeSelect
        style={{ width: '40%' }}
        treeData={tree}
        value={department}
        onChange={setDepartment}
        allowClear
        treeDefaultExpandAll
        placeholder={t('picker.department')}
        aria-label={t('picker.department')}
        showSearch={{ treeNodeFilterProp: 'title' }}
      />
      <Select
        id={id}
        style={{ width: '60%' }}
        mode={multiple ? 'multiple' : undefined}
        value={value}
        onChange={(v) => onChange?.(v)}
        showSearch={{ filterOption: false, onSearch: setKeyword }}
        loading={loading}
        placeholder={placeholder ?? t('picker.user')}
        aria-label={placeholder ?? t('picker.user')}
        allowClear
        notFoundContent={t('picker.nobody')}
        options={users.map((u) => ({
          value: u.id,
          label: u.posts?.length ? `${u.name}（${u.posts.map((p) => p.departmentName).join('、')}）` : u.name,
        }))}
      />
    </Space.Compact>
  );
}
