/**
 * The approval-tree view (as in DingTalk and Feishu): the initiator, then
 * approvers, copies, condition and parallel branches, each added with the +
 * between nodes and set in a drawer. The server compiles the tree to BPMN as
 * it is edited (its problems mark the nodes); deploy sends that BPMN. A flow
 * opened here that is not of a tree's shape says why and offers the BPMN view.
 */
import { ApartmentOutlined, CloudUploadOutlined, NodeIndexOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Result, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { api, type Page } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';
import { errorText, PageHeader } from '../admin/shared.tsx';
import { Chain, type TreeEditing } from './TreeNodes.tsx';
import { NodeDrawer } from './NodeDrawer.tsx';
import { findBranch, findNode, insertAfter, newNode, removeBranch, removeNode, type ApprovalTree } from './tree-model.ts';
import './designer.css';

interface Compiled {
  xml: string | null;
  problems: Array<{ nodeId?: string; field: string; message: string }>;
  errors: Array<{ elementId?: string; message: string }>;
  warnings: Array<{ elementId?: string; message: string }>;
}

const COMPILE_DELAY_MS = 500;

export default function TreePage() {
  const { key = 'new' } = useParams();
  const { t, text, locale } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const given = (location.state as { xml?: string } | null)?.xml;
  const [tree, setTree] = useState<ApprovalTree | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [dropped, setDropped] = useState<string[]>([]);
  const [failed, setFailed] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [compiled, setCompiled] = useState<Compiled | null>(null);
  const [deploying, setDeploying] = useState(false);
  const [forms, setForms] = useState<Array<{ key: string; title: string }>>([]);
  const [fields, setFields] = useState<Array<{ name: string; title: string }>>([]);
  const deploys = can('definition:deploy');
  const names = useMemo(
    () => ({
      approver: t('designer.tree.approver'),
      cc: t('designer.tree.cc'),
      condition: t('designer.tree.condition'),
      parallel: t('designer.tree.parallel'),
      branch: t('designer.tree.branch'),
      otherwise: t('designer.tree.otherwise'),
    }),
    [t],
  );

  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const formList = await api.get<Page<{ key: string; title: Record<string, string> | string }>>('/api/forms', { latest: true, limit: 200 }).catch(() => ({ items: [] }));
        if (!live) return;
        setForms(formList.items.map((f) => ({ key: f.key, title: text(f.title) })));
        if (key === 'new' && !given) {
          const first = newNode('approver', names);
          return setTree({ key: `approval_${Math.random().toString(36).slice(2, 7)}`, name: t('designer.tree.newName'), form: null, initiator: {}, first });
        }
        const xml = given ?? (await api.get<string>(`/api/definitions/${encodeURIComponent(key)}/xml`));
        const read = await api.post<{ tree?: ApprovalTree; dropped?: string[]; reason?: string }>('/api/approval-trees/read', { xml });
        if (!live) return;
        if (read.tree) {
          setTree(read.tree);
          setDropped(read.dropped ?? []);
        } else setRefusal(read.reason ?? '');
      } catch (err) {
        if (live) setFailed(errorText(err, t));
      }
    })();
    return () => {
      live = false;
    };
    // Read once per opened flow; the words follow the language on their own.
  }, [key, given]);

  // The form's fields, for conditions and field permissions.
  useEffect(() => {
    let live = true;
    if (!tree?.form) return setFields([]);
    void api.get<{ definition: { schema: { properties?: Record<string, { title?: string | Record<string, string> }> } } }>(`/api/forms/${encodeURIComponent(tree.form)}`).then(
      (f) => live && setFields(Object.entries(f.definition.schema.properties ?? {}).map(([name, p]) => ({ name, title: p.title ? text(p.title) : name }))),
      () => live && setFields([]),
    );
    return () => {
      live = false;
    };
  }, [tree?.form, text]);

  // Compiled on the server as it is edited: its problems mark the nodes.
  const latest = useRef(0);
  useEffect(() => {
    if (!tree || !deploys) return;
    const ticket = ++latest.current;
    const timer = setTimeout(() => {
      api.post<Compiled>('/api/approval-trees/compile', { tree }).then(
        (c) => ticket === latest.current && setCompiled(c),
        (err) => ticket === latest.current && setCompiled({ xml: null, problems: [{ field: 'tree', message: errorText(err, t) }], errors: [], warnings: [] }),
      );
    }, COMPILE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [tree, deploys, t, locale]);

  const edit = (change: (draft: ApprovalTree) => void) =>
    setTree((prev) => {
      if (!prev) return prev;
      const draft = structuredClone(prev);
      change(draft);
      return draft;
    });

  const editing: TreeEditing = {
    names,
    fields,
    problems: new Map((compiled?.problems ?? []).filter((p) => p.nodeId).map((p) => [p.nodeId!, p.message])),
    add: (after, type) =>
      edit((d) => {
        const node = newNode(type, names);
        insertAfter(d, after, node);
        setOpen(node.id);
      }),
    open: setOpen,
    edit,
  };

  const deploy = async () => {
    if (!tree) return;
    setDeploying(true);
    try {
      // Compiled again from the tree as it is now: the last compile may predate the last edit.
      const fresh = await api.post<Compiled>('/api/approval-trees/compile', { tree });
      latest.current++;
      setCompiled(fresh);
      if (!fresh.xml || fresh.errors.length) return;
      const result = await api.post<{ definitions: Array<{ key: string; version: number; created: boolean }> }>('/api/definitions', { xml: fresh.xml });
      const d = result.definitions[0];
      void message.success(d?.created ? t('designer.deploy.done', { key: d.key, version: d.version }) : t('designer.deploy.unchanged'));
      if (d && key !== d.key) navigate(`/designer/tree/${encodeURIComponent(d.key)}`, { replace: true });
    } catch (err) {
      void message.error(errorText(err, t));
    } finally {
      setDeploying(false);
    }
  };

  if (failed) return <Result status="error" title={failed} />;
  if (refusal !== null)
    return (
      <Result
        status="info"
        title={t('designer.tree.notATree')}
        subTitle={refusal}
        extra={
          <Button type="primary" icon={<NodeIndexOutlined />} onClick={() => navigate(`/designer/bpmn/${encodeURIComponent(key)}`, { state: given ? { xml: given } : null })}>
            {t('designer.tree.openBpmn')}
          </Button>
        }
      />
    );
  if (!tree) return <Card loading />;

  const selectedNode = open ? findNode(tree, open) : null;
  const selectedBranch = open && !selectedNode ? findBranch(tree, open) : null;
  const general = (compiled?.problems ?? []).filter((p) => !p.nodeId);
  const blocked = !compiled?.xml || compiled.errors.length > 0;

  return (
    <div className="wf-designer">
      <PageHeader
        title={tree.name || t('designer.tree.title')}
        description={t('designer.tree.description')}
        extra={
          <Space wrap>
            <Button icon={<NodeIndexOutlined />} disabled={!compiled?.xml} onClick={() => navigate(`/designer/bpmn/${encodeURIComponent(tree.key)}`, { state: { xml: compiled?.xml } })}>
              {t('designer.view.bpmn')}
            </Button>
            {deploys && (
              <Button type="primary" icon={<CloudUploadOutlined />} disabled={blocked} loading={deploying} onClick={() => void deploy()}>
                {t('designer.deploy.button')}
              </Button>
            )}
          </Space>
        }
      />
      {dropped.length > 0 && <Alert type="warning" showIcon className="wf-designer-alert" message={t('designer.tree.dropped')} description={dropped.join(t('designer.separator'))} />}
      {general.length > 0 && <Alert type="error" showIcon className="wf-designer-alert" message={general.map((p) => p.message).join(t('designer.separator'))} />}
      {compiled?.errors.length ? <Alert type="error" showIcon className="wf-designer-alert" message={compiled.errors.map((p) => p.message).join(t('designer.separator'))} /> : null}
      <Card className="wf-tree-settings">
        <Form layout="inline">
          <Form.Item label={t('designer.tree.name')}>
            <Input aria-label={t('designer.tree.name')} value={tree.name} onChange={(e) => edit((d) => void (d.name = e.target.value))} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item label={t('designer.tree.key')}>
            <Input aria-label={t('designer.tree.key')} value={tree.key} disabled={key !== 'new'} onChange={(e) => edit((d) => void (d.key = e.target.value.trim()))} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item label={t('designer.tree.form')}>
            <Select
              aria-label={t('designer.tree.form')}
              allowClear
              style={{ width: 220 }}
              value={tree.form ?? undefined}
              placeholder={t('designer.tree.noForm')}
              onChange={(form: string | undefined) => edit((d) => void (d.form = form ?? null))}
              options={forms.map((f) => ({ value: f.key, label: f.title }))}
            />
          </Form.Item>
        </Form>
      </Card>
      <section className="wf-tree" aria-label={t('designer.tree.title')}>
        <div className="wf-tree-node wf-tree-start">
          <div className="wf-tree-card-title">
            <ApartmentOutlined /> {t('designer.tree.initiator')}
          </div>
          <div className="wf-tree-card-body">{t('designer.tree.initiatorBody')}</div>
        </div>
        <Chain first={tree.first} after="start" editing={editing} />
        <div className="wf-tree-end">
          <Typography.Text type="secondary">{t('designer.tree.end')}</Typography.Text>
        </div>
      </section>
      {(selectedNode || selectedBranch) && (
        <NodeDrawer
          node={selectedNode}
          branch={selectedBranch}
          fields={fields}
          onClose={() => setOpen(null)}
          onChange={(change) =>
            edit((d) => {
              const target = (selectedNode ? findNode(d, selectedNode.id) : findBranch(d, selectedBranch!.id)) as Record<string, unknown> | null;
              if (target) Object.assign(target, change);
            })
          }
          onRemove={() => {
            if (selectedNode) edit((d) => removeNode(d, selectedNode.id));
            else if (selectedBranch) edit((d) => removeBranch(d, selectedBranch.id));
            setOpen(null);
          }}
        />
      )}
    </div>
  );
}
