/**
 * The bar that holds a page's save while it has unsaved rows: how many, what
 * still needs fixing before they can be sent, and discard.
 */
import { SaveOutlined } from '@ant-design/icons';
import { Button, Popconfirm } from 'antd';
import { useI18n } from '../../i18n/index.tsx';
import type { CatalogEditor } from './editor.ts';

export function SaveBar({ editor, onSave, tables }: { editor: CatalogEditor; onSave(): void; tables?: readonly string[] }) {
  const { t } = useI18n();
  if (!editor.dirty && !editor.problems.length) return null;
  const wrong = (tables ?? Object.keys(editor.changes)).reduce((n, table) => n + editor.wrongIn(table), 0);
  const text = editor.tried && wrong ? t('admin.catalog.fixFirst', { count: wrong }) : editor.dirty ? t('admin.catalog.unsaved', { count: editor.dirty }) : t('admin.catalog.nothingToSave');
  return (
    <div className="wf-save-bar" role="region" aria-label={t('admin.catalog.saveBar')}>
      <span className="wf-save-bar-text" style={{ color: editor.tried && wrong ? '#cf1322' : undefined }}>
        {text}
      </span>
      <Popconfirm title={t('admin.catalog.discardConfirm')} okText={t('admin.catalog.discard')} cancelText={t('common.cancel')} onConfirm={editor.discard} disabled={!editor.dirty}>
        <Button disabled={!editor.dirty || editor.saving}>{t('admin.catalog.discard')}</Button>
      </Popconfirm>
      <Button type="primary" icon={<SaveOutlined />} loading={editor.saving} disabled={!editor.dirty} onClick={onSave}>
        {t('common.save')}
      </Button>
    </div>
  );
}
