/**
 * People and department pickers (`x-picker`): a search box over the
 * organisation's users (name, username, mobile) and, for those who know where
 * someone works rather than their name, the department tree with the people of
 * the chosen department; departments from a searchable tree. The value is the
 * user's or the department's id.
 */
import { ApartmentOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Col, Empty, Grid, Input, List, Modal, Row, Select, Space, Tree, TreeSelect } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, type Page } from '../api/client.ts';
import { useI18n, type Translate } from '../i18n/index.tsx';
import { typeOf } from './schema.ts';
import type { WidgetProps } from './types.ts';

export interface Department {
  id: string;
  parentId: string | null;
  name: string;
  depth: number;
}

export interface OrgUser {
  id: string;
  username: string;
  name: string;
  status: string;
  posts: Array<{ departmentId: string; departmentName: string | null; primary: boolean }>;
}

let departments: Promise<Department[]> | null = null;
function loadDepartments(): Promise<Department[]> {
  departments ??= api.get<{ items: Department[] }>('/api/org/departments').then(
    (r) => r.items,
    () => {
      departments = null;
      return [];
    },
  );
  return departments;
}

const users = new Map<string, Promise<OrgUser | null>>();
function loadUser(id: string): Promise<OrgUser | null> {
  let hit = users.get(id);
  if (!hit) {
    hit = api.get<OrgUser>(`/api/org/users/${encodeURIComponent(id)}`).catch(() => null);
    users.set(id, hit);
  }
  return hit;
}

function searchUsers(query: { keyword?: string; departmentId?: string }): Promise<OrgUser[]> {
  return api.get<Page<OrgUser>>('/api/org/users', { ...query, ...(query.departmentId && { children: true }), limit: 50 }).then(
    (page) => {
      page.items.forEach((u) => users.set(u.id, Promise.resolve(u)));
      return page.items.filter((u) => u.status !== 'disabled');
    },
    () => [],
  );
}

const primaryDepartment = (u: OrgUser) => (u.posts.find((p) => p.primary) ?? u.posts[0])?.departmentName ?? '';
const userLabel = (u: OrgUser, t: Translate) => (primaryDepartment(u) ? t('common.nameWithDept', { name: u.name, dept: primaryDepartment(u) }) : u.name);

export function useDepartments(): Department[] | null {
  const [list, setList] = useState<Department[] | null>(null);
  useEffect(() => {
    let live = true;
    void loadDepartments().then((d) => live && setList(d));
    return () => {
      live = false;
    };
  }, []);
  return list;
}

export function treeOf(list: Department[]): DataNode[] {
  const nodes = new Map<string, DataNode & { children: DataNode[] }>(list.map((d) => [d.id, { key: d.id, title: d.name, children: [] }]));
  const roots: DataNode[] = [];
  for (const d of list) {
    const node = nodes.get(d.id)!;
    const parent = d.parentId ? nodes.get(d.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const prune = (n: DataNode): DataNode => (n.children?.length ? { ...n, children: n.children.map(prune) } : { key: n.key, title: n.title, isLeaf: true });
  return roots.map(prune);
}

/** The ids a picker holds (one, or a list for an array field). */
const idsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : []);

/** A form's user field: the people picker on the field's value. */
export function UserPicker(p: WidgetProps) {
  const { text } = useI18n();
  return (
    <PeoplePicker
      id={p.id}
      ariaLabel={p.ariaLabel}
      multiple={typeOf(p.schema) === 'array'}
      value={p.value}
      onChange={p.onChange}
      onBlur={p.onBlur}
      disabled={p.disabled}
      invalid={p.invalid}
      placeholder={p.ui?.placeholder ? text(p.ui.placeholder) : undefined}
    />
  );
}

export interface PeoplePickerProps {
  id?: string;
  ariaLabel?: string;
  multiple?: boolean;
  /** A user id, or a list of them when `multiple` (given by a Form.Item when inside one). */
  value?: unknown;
  onChange?(value: string | string[] | undefined): void;
  onBlur?(): void;
  disabled?: boolean;
  invalid?: boolean;
  placeholder?: string;
}

/**
 * Pick people: search by name, user name or mobile, or browse the department
 * tree. Used by forms' user fields and by the inbox operations (transfer,
 * delegate, add signer, copy, reassign, the initiator filter).
 */
export function PeoplePicker(p: PeoplePickerProps) {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const multiple = !!p.multiple;
  const ids = idsOf(p.value);
  const [known, setKnown] = useState<Record<string, OrgUser>>({});
  const [found, setFound] = useState<OrgUser[]>([]);
  const [searching, setSearching] = useState(false);
  const [browsing, setBrowsing] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const joined = ids.join(',');

  useEffect(() => {
    let live = true;
    const wanted = joined ? joined.split(',') : [];
    void Promise.all(wanted.map(loadUser)).then((list) => {
      if (!live) return;
      setKnown((before) => ({ ...before, ...Object.fromEntries(list.filter((u): u is OrgUser => u !== null).map((u) => [u.id, u])) }));
    });
    return () => {
      live = false;
    };
  }, [joined]);

  // The latest words typed: an answer to an earlier search (or to opening the list) must not replace theirs.
  const typed = useRef('');
  const search = (keyword: string) => {
    typed.current = keyword;
    clearTimeout(timer.current);
    setSearching(true);
    timer.current = setTimeout(() => {
      void searchUsers({ ...(keyword.trim() && { keyword: keyword.trim() }) }).then((list) => {
        if (typed.current !== keyword) return;
        setFound(list);
        setSearching(false);
      });
    }, 250);
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  const options = useMemo(() => {
    const shown = new Map<string, { value: string; label: string }>();
    for (const id of ids) shown.set(id, { value: id, label: known[id] ? userLabel(known[id], t) : id });
    for (const u of found) if (!shown.has(u.id)) shown.set(u.id, { value: u.id, label: userLabel(u, t) });
    return [...shown.values()];
  }, [joined, known, found]);

  const pick = (id: string) => {
    if (!multiple) return p.onChange?.(id);
    p.onChange?.(ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]);
  };

  return (
    <Space.Compact style={{ width: '100%', maxWidth: 520 }}>
      <Select
        id={p.id}
        aria-label={p.ariaLabel}
        mode={multiple ? 'multiple' : undefined}
        value={multiple ? ids : ids[0]}
        options={options}
        showSearch={{ filterOption: false, onSearch: search }}
        onOpenChange={(open) => open && !found.length && !typed.current && search('')}
        onChange={(v: string | string[] | undefined) => p.onChange?.(Array.isArray(v) ? (v.length ? v : undefined) : (v ?? undefined))}
        onBlur={p.onBlur}
        allowClear
        disabled={p.disabled}
        loading={searching}
        placeholder={p.placeholder ?? t('form.picker.user.placeholder')}
        notFoundContent={searching ? null : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('form.picker.user.none')} />}
        suffixIcon={<UserOutlined />}
        status={p.invalid ? 'error' : undefined}
        style={{ flex: 1, minWidth: 0 }}
      />
      <Button icon={<ApartmentOutlined />} onClick={() => setBrowsing(true)} disabled={p.disabled} aria-label={t('form.picker.user.browse')}>
        {screens.sm && t('form.picker.user.browse')}
      </Button>
      {browsing && (
        <UserBrowser
          chosen={ids}
          multiple={multiple}
          onPick={(u) => {
            setKnown((before) => ({ ...before, [u.id]: u }));
            pick(u.id);
            if (!multiple) setBrowsing(false);
          }}
          onClose={() => setBrowsing(false)}
        />
      )}
    </Space.Compact>
  );
}

/** The department tree on one side, the people of the chosen department (and below) on the other, both searchable. */
function UserBrowser({ chosen, multiple, onPick, onClose }: { chosen: string[]; multiple: boolean; onPick(u: OrgUser): void; onClose(): void }) {
  const { t } = useI18n();
  const list = useDepartments();
  const tree = useMemo(() => treeOf(list ?? []), [list]);
  const [department, setDepartment] = useState<string | undefined>();
  const [filter, setFilter] = useState('');
  const [keyword, setKeyword] = useState('');
  const [people, setPeople] = useState<OrgUser[] | null>(null);

  useEffect(() => {
    let live = true;
    setPeople(null);
    const timer = setTimeout(() => {
      void searchUsers({ ...(department && { departmentId: department }), ...(keyword.trim() && { keyword: keyword.trim() }) }).then((found) => live && setPeople(found));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [department, keyword]);

  const matching = useMemo(() => {
    if (!filter.trim() || !list) return tree;
    const keep = (nodes: DataNode[]): DataNode[] =>
      nodes.flatMap((n) => {
        const children = keep(n.children ?? []);
        return String(n.title).includes(filter.trim()) || children.length ? [{ ...n, children }] : [];
      });
    return keep(tree);
  }, [tree, filter, list]);

  return (
    <Modal open title={t('form.picker.user.title')} onCancel={onClose} footer={<Button onClick={onClose}>{t('form.picker.close')}</Button>} width={760} destroyOnHidden>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={10}>
          <Input.Search placeholder={t('form.picker.department.search')} allowClear onChange={(e) => setFilter(e.target.value)} style={{ marginBottom: 8 }} />
          <div style={{ maxHeight: 360, overflow: 'auto', border: '1px solid #f0f0f0', borderRadius: 6, padding: 4 }}>
            {list && (
              <Tree
                treeData={matching}
                defaultExpandAll
                selectedKeys={department ? [department] : []}
                onSelect={(keys) => setDepartment(keys[0] === undefined ? undefined : String(keys[0]))}
                key={filter}
              />
            )}
          </div>
        </Col>
        <Col xs={24} md={14}>
          <Input.Search placeholder={t('form.picker.user.search')} allowClear onChange={(e) => setKeyword(e.target.value)} style={{ marginBottom: 8 }} />
          <List
            loading={people === null}
            dataSource={people ?? []}
            locale={{ emptyText: t('form.picker.user.none') }}
            style={{ maxHeight: 360, overflow: 'auto' }}
            size="small"
            renderItem={(u) => {
              const on = chosen.includes(u.id);
              return (
                <List.Item
                  actions={[
                    <Button key="pick" size="small" type={on ? 'default' : 'primary'} onClick={() => onPick(u)}>
                      {on ? (multiple ? t('form.picker.unpick') : t('form.picker.picked')) : t('form.picker.pick')}
                    </Button>,
                  ]}
                >
                  <List.Item.Meta
                    title={u.name}
                    description={u.posts
                      .map((x) => x.departmentName)
                      .filter(Boolean)
                      .join(' · ')}
                  />
                </List.Item>
              );
            }}
          />
        </Col>
      </Row>
    </Modal>
  );
}

export function DepartmentPicker(p: WidgetProps) {
  const { t, text } = useI18n();
  const list = useDepartments();
  const multiple = typeOf(p.schema) === 'array';
  const tree = useMemo(() => {
    interface Option {
      value: string;
      title: string;
      children?: Option[];
    }
    const convert = (nodes: DataNode[]): Option[] => nodes.map((n) => ({ value: String(n.key), title: String(n.title), ...(n.children?.length && { children: convert(n.children) }) }));
    return convert(treeOf(list ?? []));
  }, [list]);
  const ids = idsOf(p.value);
  return (
    <TreeSelect
      id={p.id}
      aria-label={p.ariaLabel}
      treeData={tree}
      value={multiple ? ids : ids[0]}
      multiple={multiple}
      onChange={(v: string | string[] | undefined) => p.onChange?.(Array.isArray(v) ? (v.length ? v : undefined) : (v ?? undefined))}
      onBlur={p.onBlur}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      allowClear
      disabled={p.disabled}
      loading={list === null}
      placeholder={p.ui?.placeholder ? text(p.ui.placeholder) : t('form.picker.department.placeholder')}
      status={p.invalid ? 'error' : undefined}
      style={{ width: '100%', maxWidth: 420 }}
    />
  );
}
