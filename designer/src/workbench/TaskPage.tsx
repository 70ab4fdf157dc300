/**
 * One task: the case's head, the node's form (drafts saved by hand and every
 * 30 seconds while changed), approve or reject with a comment, and the other
 * inbox operations; beside it the case's history and diagram.
 */
import { CheckOutlined, CloseOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Input, Row, Space, Tabs, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import type { FieldIssue, FormData } from '../../../forms/index.ts';
import { api, ApiError } from '../api/client.ts';
import type { Task } from '../api/records.ts';
import { useSession } from '../api/session.tsx';
import { SchemaForm, type FormView } from '../forms/SchemaForm.tsx';
import { useFormCheck } from '../forms/useFormCheck.ts';
import { useI18n } from '../i18n/index.tsx';
import { ForbiddenPage, NotFoundPage } from '../pages/ErrorPages.tsx';
import { Loading } from '../shell/Loading.tsx';
import { inboxChanged } from '../shell/usePolling.ts';
import { CaseDiagram, CaseHeader } from './CasePage.tsx';
import { DueTag } from './DueTag.tsx';
import { TaskOperations } from './TaskOperations.tsx';
import { CaseTimeline } from './Timeline.tsx';
import { useCase } from './useCase.ts';

interface TaskForm {
  form: FormView;
  values: FormData;
  draft: { data: FormData; updatedAt: string } | null;
}

const AUTOSAVE_MS = 30_000;

export function TaskPage() {
  const { id } = useParams();
  const { t, text, dateTime } = useI18n();
  const { me } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [task, setTask] = useState<Task | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [taskForm, setTaskForm] = useState<TaskForm | null>(null);
  const [value, setValue] = useState<FormData>({});
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [tried, setTried] = useState(false);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const dirty = useRef(false);
  const { data: caseData, reload: reloadCase } = useCase(task?.instanceId);
  const check = useFormCheck(taskForm?.form ?? null);

  const load = useCallback(async () => {
    try {
      const loaded = await api.get<Task>(`/api/tasks/${id}`);
      setTask(loaded);
      if (loaded.formKey) {
        const f = await api.get<TaskForm>(`/api/tasks/${id}/form`);
        setTaskForm(f);
        // Each node decides and comments afresh: the case's earlier decision and comment are not this one's.
        const { approved: _approved, comment: _comment, ...carried } = f.values;
        setValue(f.draft?.data ?? carried);
        setSavedAt(f.draft?.updatedAt ?? null);
      }
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'WF_ERR_NETWORK', t('error.network'), undefined, {}));
    }
  }, [id, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const holder = !!task && task.state === 'active' && task.assignee === me?.id;
  const claimable = !!task && task.state === 'active' && !task.assignee;
  const form = taskForm?.form;
  const editable = useMemo(
    () =>
      Object.entries(form?.access ?? {})
        .filter(([, a]) => a === 'editable')
        .map(([name]) => name),
    [form],
  );
  const decides = editable.includes('approved');
  const commentInForm = editable.includes('comment');
  const editableData = (data: FormData) => Object.fromEntries(Object.entries(data).filter(([name]) => editable.includes(name)));
  // The approve/reject buttons decide: the form does not show the decision field as well.
  const shownForm = useMemo(() => (form && decides ? withoutField(form, 'approved') : form), [form, decides]);
  const commentText = (commentInForm ? String(value.comment ?? '') : comment).trim();

  const onChange = (next: FormData) => {
    dirty.current = true;
    setValue(next);
    if (tried && check) setIssues(check(next, 'submit').issues);
  };

  const saveDraft = useCallback(
    async (quiet: boolean) => {
      if (!holder || !form) return;
      try {
        const saved = await api.put<{ updatedAt: string }>(`/api/tasks/${id}/form/draft`, { data: editableData(value) });
        dirty.current = false;
        setSavedAt(saved.updatedAt);
        if (!quiet) message.success(t('task.draftSaved'));
      } catch (err) {
        if (!quiet) message.error(err instanceof ApiError ? err.message : t('error.network'));
      }
    },
    [holder, form, id, value, message, t],
  );
  useEffect(() => {
    const timer = setInterval(() => dirty.current && void saveDraft(true), AUTOSAVE_MS);
    return () => clearInterval(timer);
  }, [saveDraft]);

  const finish = async (approved: boolean | null) => {
    setTried(true);
    const decided: FormData = {
      ...value,
      ...(approved !== null && decides && { approved }),
      ...(commentInForm && comment.trim() && { comment: comment.trim() }),
    };
    if (form && check) {
      const outcome = check(decided, 'submit');
      setIssues(outcome.issues);
      if (!outcome.valid) return void message.error(t('task.fixForm', { count: outcome.issues.length }));
    }
    if (approved === false && !commentText) return void message.error(t('task.rejectNeedsComment'));
    setBusy(approved === false ? 'reject' : 'approve');
    try {
      if (comment.trim() && !commentInForm && task)
        await api.post(`/api/instances/${task.instanceId}/comments`, {
          text: comment.trim(),
        });
      if (form)
        await api.post(`/api/tasks/${id}/form/submit`, {
          data: editableData(decided),
        });
      else
        await api.post(`/api/tasks/${id}/complete`, {
          variables:
            approved === null
              ? {}
              : {
                  approved,
                  ...(comment.trim() && { comment: comment.trim() }),
                },
        });
      dirty.current = false;
      inboxChanged();
      message.success(t(approved === false ? 'task.rejectedDone' : 'task.completedDone'));
      navigate('/workbench/todo');
    } catch (err) {
      if (err instanceof ApiError && err.issues.length) setIssues(err.issues);
      message.error(err instanceof ApiError ? err.message : t('error.network'));
    } finally {
      setBusy(null);
    }
  };

  const claim = async () => {
    try {
      await api.post(`/api/tasks/${id}/claim`, {});
      inboxChanged();
      message.success(t('task.claimed'));
      void load();
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : t('error.network'));
    }
  };

  if (error?.status === 404) return <NotFoundPage />;
  if (error?.status === 403) return <ForbiddenPage />;
  if (error) return <Alert type="error" showIcon title={error.message} />;
  if (!task) return <Loading />;

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={15}>
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Card
            title={
              <Space wrap>
                <span>{task.name ?? task.activityId}</span>
                {task.state !== 'active' && <Tag>{t(`task.state.${task.state}`)}</Tag>}
                {task.owner && <Tag color="purple">{t('task.delegatedTask')}</Tag>}
              </Space>
            }
            extra={task.state === 'active' && <DueTag dueAt={task.dueAt} dueState={task.dueState} />}
          >
            {caseData ? <CaseHeader data={caseData} /> : <Loading />}
          </Card>
          <Card title={form ? text(form.title) : t('task.noForm')}>
            {shownForm && <SchemaForm form={shownForm} value={value} onChange={onChange} issues={issues} disabled={!holder} />}
            {holder && !commentInForm && (
              <div style={{ marginTop: form ? 8 : 0 }}>
                {/* An approval's comment; at any other step a note for the case's record. */}
                <Typography.Text strong>{t(decides ? 'task.comment' : 'task.note')}</Typography.Text>
                <Input.TextArea
                  style={{ marginTop: 8 }}
                  rows={3}
                  maxLength={1000}
                  showCount
                  value={comment}
                  onChange={(e) => setComment(e.target.value)}
                  placeholder={t(decides ? 'task.commentPlaceholder' : 'task.notePlaceholder')}
                  aria-label={t(decides ? 'task.comment' : 'task.note')}
                />
              </div>
            )}
          </Card>
          {task.state === 'active' && (
            <Card
              size="small"
              style={{
                position: 'sticky',
                bottom: 0,
                zIndex: 2,
                boxShadow: '0 -2px 8px rgba(0,0,0,0.06)',
              }}
            >
              {claimable ? (
                <Space wrap>
                  <Button type="primary" onClick={() => void claim()}>
                    {t('task.claim')}
                  </Button>
                  <Typography.Text type="secondary">{t('task.claimHint')}</Typography.Text>
                </Space>
              ) : holder ? (
                <Space wrap>
                  {decides || !form ? (
                    <>
                      <Button type="primary" icon={<CheckOutlined />} loading={busy === 'approve'} onClick={() => void finish(true)}>
                        {t('task.approve')}
                      </Button>
                      <Button danger icon={<CloseOutlined />} loading={busy === 'reject'} onClick={() => void finish(false)}>
                        {t('task.reject')}
                      </Button>
                    </>
                  ) : (
                    <Button type="primary" icon={<CheckOutlined />} loading={busy === 'approve'} onClick={() => void finish(null)}>
                      {t('task.submit')}
                    </Button>
                  )}
                  {form && (
                    <Button icon={<SaveOutlined />} onClick={() => void saveDraft(false)}>
                      {t('task.saveDraft')}
                    </Button>
                  )}
                  <TaskOperations
                    task={task}
                    onDone={(done, leave) => {
                      message.success(done);
                      if (leave) navigate('/workbench/todo');
                      else {
                        void load();
                        reloadCase();
                      }
                    }}
                  />
                  {savedAt && <Typography.Text type="secondary">{t('task.draftSavedAt', { time: dateTime(savedAt) })}</Typography.Text>}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('task.heldByOther')}</Typography.Text>
              )}
            </Card>
          )}
        </Space>
      </Col>
      <Col xs={24} xl={9}>
        <Card>
          {caseData ? (
            <Tabs
              items={[
                {
                  key: 'history',
                  label: t('case.tab.history'),
                  children: <CaseTimeline entries={caseData.history} nodeNames={caseData.nodeNames} />,
                },
                {
                  key: 'diagram',
                  label: t('case.tab.diagram'),
                  children: <CaseDiagram data={caseData} />,
                },
              ]}
            />
          ) : (
            <Loading />
          )}
          <Button type="link" onClick={() => navigate(`/workbench/cases/${task.instanceId}`)}>
            {t('task.openCase')}
          </Button>
        </Card>
      </Col>
    </Row>
  );
}

/** The form without one field (its value kept in the data, decided elsewhere on the page). */
function withoutField(form: FormView, field: string): FormView {
  const { [field]: _dropped, ...properties } = (form.schema.properties ?? {}) as Record<string, unknown>;
  const ui = form.ui && {
    ...form.ui,
    order: form.ui.order?.filter((f) => f !== field),
    sections: form.ui.sections?.map((section) => ({ ...section, fields: section.fields.filter((f) => f !== field) })).filter((section) => section.fields.length),
  };
  return { ...form, schema: { ...form.schema, properties }, ...(ui && { ui }), access: { ...form.access, [field]: 'hidden' } };
}
