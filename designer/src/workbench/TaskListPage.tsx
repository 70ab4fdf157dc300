/**
 * 待办 and 已办: the tasks I hold or may claim (claim in one click), and those
 * I finished; filters (process, due state, initiator, keyword, due dates),
 * sort, paging and saved filters; near-due and overdue marked; several
 * selected → batch approval with each task's outcome shown.
 */
import { CheckOutlined, DeleteOutlined, FilterOutlined, SaveOutlined } from '@ant-design/icons';
import { App, Button, Card, Dropdown, Input, Modal, Segmented, Select, Space, Spin, Table, Tag } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError, type Page } from '../api/client.ts';
import { useProcessNames, useUserNames } from '../api/directory.ts';
import { assignedTo, claimableBy, defaultFilter, tabOf, TASK_PAGE_SIZE, taskListQuery, type TaskFilter, type TodoTab } from '../api/inbox.ts';
import { usePreloaded } from '../api/preload.tsx';
import type { Task } from '../api/records.ts';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';
import { inboxChanged } from '../shell/usePolling.ts';
import { BatchResult, type BatchOutcome } from './BatchResult.tsx';
import { DueTag } from './DueTag.tsx';
import { loadFilters, storeFilters, type SavedFilter } from './savedFilters.ts';

type Filter = TaskFilter;

const PAGE_SIZE = TASK_PAGE_SIZE;

// The initiator picker (a department tree) and the date range are loaded when asked for: the list shows sooner.
const MoreFilters = lazy(() => import('./MoreFilters.tsx'));

export function TaskListPage({ list }: { list: 'todo' | 'done' }) {
  const { t, dateTime, relative, list: listOf } = useI18n();
  const { me } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const processNames = useProcessNames();
  // The tab is in the address (?tab=claimable), so that a link or a reload opens the same list.
  const [params, setParams] = useSearchParams();
  const tab: TodoTab = list === 'todo' ? tabOf(params.toString()) : 'assigned';
  const setTab = (next: 'assigned' | 'claimable') => setParams(next === 'claimable' ? { tab: next } : {}, { replace: true });
  const blank = defaultFilter(list);
  const [filter, setFilter] = useState<Filter>(blank);
  const [draftKeyword, setDraftKeyword] = useState('');
  const [page, setPage] = useState(1);
  // A page the server rendered starts with the rows it rendered, and does not ask for them again.
  const rendered = usePreloaded<Page<Task>>('/api/tasks', me ? taskListQuery(me, list, tab, blank, 1) : undefined);
  const [data, setData] = useState<Page<Task> | undefined>(rendered);
  const skipFirstLoad = useRef(rendered !== undefined);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [counts, setCounts] = useState<{
    assigned: number;
    claimable: number;
  }>();
  const [saved, setSaved] = useState<Array<SavedFilter<Filter>>>(() => (me ? loadFilters<Filter>(me.id, list) : []));
  const [batch, setBatch] = useState<{
    outcome: BatchOutcome;
    names: Record<string, string>;
  } | null>(null);
  const [batchComment, setBatchComment] = useState('');
  const [batchOpen, setBatchOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [moreOpen, setMoreOpen] = useState(false);

  const load = useCallback(async () => {
    if (!me) return;
    if (skipFirstLoad.current) return void (skipFirstLoad.current = false);
    setLoading(true);
    try {
      // Shared with a request already on its way for the same page (main.tsx starts the first one early).
      setData(await api.getShared<Page<Task>>('/api/tasks', taskListQuery(me, list, tab, filter, page)));
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : t('error.network'));
    } finally {
      setLoading(false);
    }
  }, [me, tab, filter, page, list, message, t]);

  useEffect(() => {
    void load();
  }, [load]);
  // When the list first answers clicks (read by npm run bench).
  useEffect(() => void performance.mark('wf:list-interactive'), []);
  useEffect(() => {
    if (list !== 'todo' || !me) return;
    void Promise.all([api.get<Page<Task>>('/api/tasks', { ...assignedTo(me), limit: 1 }), api.get<Page<Task>>('/api/tasks', { ...claimableBy(me), limit: 1 })]).then(
      ([a, c]) => setCounts({ assigned: a.total, claimable: c.total }),
      () => undefined,
    );
  }, [list, me, data]);

  const names = useUserNames((data?.items ?? []).flatMap((task) => [task.initiator, task.assignee, task.endedBy, task.owner]));
  const change = (patch: Partial<Filter>) => {
    setFilter((f) => ({ ...f, ...patch }));
    setPage(1);
    setSelected([]);
  };

  const claim = async (task: Task) => {
    try {
      await api.post(`/api/tasks/${task.id}/claim`, {});
      message.success(t('task.claimed'));
      inboxChanged();
      navigate(`/workbench/tasks/${task.id}`);
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : t('error.network'));
      void load();
    }
  };

  const approveSelected = async () => {
    setBusy(true);
    try {
      const result = await api.post<BatchOutcome>('/api/tasks/complete-batch', {
        items: selected.map((taskId) => ({
          taskId,
          variables: {
            approved: true,
            ...(batchComment.trim() && { comment: batchComment.trim() }),
          },
        })),
      });
      setBatch({
        outcome: result,
        names: Object.fromEntries((data?.items ?? []).map((task) => [task.id, task.name ?? task.activityId])),
      });
      setBatchOpen(false);
      setSelected([]);
      setBatchComment('');
      inboxChanged();
      void load();
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : t('error.network'));
    } finally {
      setBusy(false);
    }
  };

  const saveFilter = () => {
    if (!me) return;
    let name = '';
    Modal.confirm({
      title: t('list.saveFilter'),
      content: <Input autoFocus aria-label={t('list.filterName')} placeholder={t('list.filterName')} maxLength={30} onChange={(e) => (name = e.target.value)} />,
      onOk: () => {
        const next = [...saved.filter((s) => s.name !== name.trim()), { name: name.trim() || t('list.unnamedFilter'), filter }];
        storeFilters(me.id, list, next);
        setSaved(next);
        message.success(t('common.saved'));
      },
    });
  };
  const removeFilter = (name: string) => {
    if (!me) return;
    const next = saved.filter((s) => s.name !== name);
    storeFilters(me.id, list, next);
    setSaved(next);
  };

  return (
    <Card
      title={t(list === 'todo' ? 'menu.todo' : 'menu.done')}
      extra={
        list === 'todo' && (
          <Segmented
            value={tab}
            onChange={(v) => {
              setTab(v as 'assigned' | 'claimable');
              setPage(1);
              setSelected([]);
            }}
            options={[
              {
                value: 'assigned',
                label: `${t('list.assigned')}${counts ? ` ${counts.assigned}` : ''}`,
              },
              {
                value: 'claimable',
                label: `${t('list.claimable')}${counts ? ` ${counts.claimable}` : ''}`,
              },
            ]}
          />
        )
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('list.process')}
          aria-label={t('list.process')}
          value={filter.processKey}
          onChange={(v) => change({ processKey: v })}
          options={[...processNames].map(([value, label]) => ({
            value,
            label,
          }))}
        />
        {list === 'todo' && (
          <Select
            allowClear
            style={{ width: 140 }}
            placeholder={t('list.dueState')}
            aria-label={t('list.dueState')}
            value={filter.dueState}
            onChange={(v) => change({ dueState: v })}
            options={[
              { value: 'overdue', label: t('task.overdue') },
              { value: 'near-due', label: t('task.nearDue') },
              { value: 'on-time', label: t('task.onTime') },
            ]}
          />
        )}
        {moreOpen ? (
          <Suspense fallback={<Spin size="small" />}>
            <MoreFilters initiator={filter.initiator} dueAfter={filter.dueAfter} dueBefore={filter.dueBefore} onChange={change} />
          </Suspense>
        ) : (
          <Button icon={<FilterOutlined />} onClick={() => setMoreOpen(true)}>
            {t('list.moreFilters')}
            {filter.initiator || filter.dueAfter ? ' •' : ''}
          </Button>
        )}
        <Input.Search
          allowClear
          style={{ width: 220 }}
          placeholder={t('list.keyword')}
          aria-label={t('list.keyword')}
          value={draftKeyword}
          onChange={(e) => setDraftKeyword(e.target.value)}
          onSearch={(v) => change({ keyword: v.trim() || undefined })}
        />
        <Select
          style={{ width: 150 }}
          aria-label={t('list.sort')}
          value={`${filter.sort}:${filter.order}`}
          onChange={(v) => {
            const [sort, order] = v.split(':') as [Filter['sort'], Filter['order']];
            change({ sort, order });
          }}
          options={[
            { value: 'due:asc', label: t('list.sort.dueSoonest') },
            { value: 'created:desc', label: t('list.sort.newest') },
            { value: 'created:asc', label: t('list.sort.oldest') },
            { value: 'priority:desc', label: t('list.sort.priority') },
          ]}
        />
        <Dropdown
          menu={{
            items: [
              {
                key: '__save',
                icon: <SaveOutlined />,
                label: t('list.saveFilter'),
              },
              ...(saved.length ? [{ type: 'divider' as const }] : []),
              ...saved.map((s) => ({
                key: s.name,
                label: (
                  <Space>
                    {s.name}
                    <DeleteOutlined
                      aria-label={t('common.delete')}
                      onClick={(e) => {
                        e.stopPropagation();
                        removeFilter(s.name);
                      }}
                    />
                  </Space>
                ),
              })),
            ],
            onClick: ({ key }) => {
              if (key === '__save') return saveFilter();
              const chosen = saved.find((s) => s.name === key);
              if (chosen) {
                setFilter(chosen.filter);
                setDraftKeyword(chosen.filter.keyword ?? '');
                setPage(1);
              }
            },
          }}
        >
          <Button>{t('list.savedFilters')}</Button>
        </Dropdown>
        <Button
          onClick={() => {
            setFilter(blank);
            setDraftKeyword('');
            setPage(1);
          }}
        >
          {t('common.reset')}
        </Button>
      </Space>
      {list === 'todo' && tab === 'assigned' && selected.length > 0 && (
        <Space style={{ marginBottom: 12 }}>
          <span>{t('list.selected', { count: selected.length })}</span>
          <Button type="primary" icon={<CheckOutlined />} onClick={() => setBatchOpen(true)}>
            {t('list.batchApprove')}
          </Button>
        </Space>
      )}
      {/* On a phone the columns keep their widths and the rows scroll sideways (wf-scroll-x), instead of a letter per line. */}
      <Table<Task>
        className="wf-scroll-x"
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data?.items ?? []}
        rowSelection={
          list === 'todo' && tab === 'assigned'
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys as string[]),
              }
            : undefined
        }
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t('common.total', { total }),
          onChange: setPage,
        }}
        locale={{
          emptyText: t(list === 'todo' ? (tab === 'assigned' ? 'list.emptyTodo' : 'list.emptyClaimable') : 'list.emptyDone'),
        }}
        columns={[
          {
            title: t('list.col.task'),
            key: 'task',
            render: (_, task) => (
              <div>
                <Link to={`/workbench/tasks/${task.id}`}>{task.name ?? task.activityId}</Link>
                <div>
                  <span className="wf-secondary">
                    {processNames.get(task.processKey) ?? task.processKey}
                    {task.businessKey ? ` · ${task.businessKey}` : ''}
                  </span>
                  {task.stateName && <Tag style={{ marginInlineStart: 8 }}>{task.stateName}</Tag>}
                  {task.owner && (
                    <Tag style={{ marginInlineStart: 8 }}>
                      {t('task.delegatedBy', {
                        name: names[task.owner] ?? task.owner,
                      })}
                    </Tag>
                  )}
                </div>
              </div>
            ),
          },
          {
            title: t('list.initiator'),
            key: 'initiator',
            width: 110,
            render: (_, task) => (task.initiator ? (names[task.initiator] ?? task.initiator) : ''),
          },
          list === 'todo'
            ? {
                title: t('list.col.due'),
                key: 'due',
                width: 200,
                render: (_, task) => <DueTag dueAt={task.dueAt} dueState={task.dueState} />,
              }
            : {
                title: t('list.col.endedAt'),
                key: 'ended',
                width: 180,
                render: (_, task) => dateTime(task.endedAt),
              },
          {
            title: t('list.col.received'),
            key: 'created',
            width: 140,
            render: (_, task) => (
              // "3 分钟前" may have turned into "4 分钟前" between the server's render and the browser's.
              <span title={dateTime(task.createdAt)} suppressHydrationWarning>
                {relative(task.createdAt)}
              </span>
            ),
          },
          {
            title: list === 'todo' && tab === 'claimable' ? t('list.col.candidates') : t('list.col.holder'),
            key: 'who',
            width: 160,
            render: (_, task) => (task.assignee ? (names[task.assignee] ?? task.assignee) : listOf([...task.candidateUsers, ...task.candidateGroups].slice(0, 3))),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 120,
            render: (_, task) =>
              list === 'todo' && !task.assignee ? (
                <Button type="primary" size="small" onClick={() => void claim(task)}>
                  {t('task.claim')}
                </Button>
              ) : (
                <Link to={list === 'todo' ? `/workbench/tasks/${task.id}` : `/workbench/cases/${task.instanceId}`}>{t(list === 'todo' ? 'task.handle' : 'common.view')}</Link>
              ),
          },
        ]}
      />
      <Modal
        open={batchOpen}
        title={t('list.batchApproveTitle', { count: selected.length })}
        okText={t('task.approve')}
        confirmLoading={busy}
        onOk={() => void approveSelected()}
        onCancel={() => setBatchOpen(false)}
      >
        <Input.TextArea rows={3} maxLength={500} aria-label={t('task.comment')} placeholder={t('list.batchComment')} value={batchComment} onChange={(e) => setBatchComment(e.target.value)} />
      </Modal>
      <BatchResult outcome={batch?.outcome ?? null} names={batch?.names ?? {}} onClose={() => setBatch(null)} />
    </Card>
  );
}
