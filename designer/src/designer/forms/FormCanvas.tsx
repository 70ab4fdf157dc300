/**
 * The form designer's palette and canvas. A field type is dragged from the
 * palette (or clicked: it lands after the selected field) into a section;
 * fields are dragged to another place, or moved with the arrows of the one
 * selected (the keyboard's way). Each field shows its label, key, control and
 * what is special about it; a field with a problem is marked red.
 */
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, HolderOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Empty, Tag, Tooltip, Typography } from 'antd';
import { useState, type DragEvent, type KeyboardEvent } from 'react';
import type { FormDefinition, Widget } from '../../../../forms/index.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { widgetOf } from '../../forms/schema.ts';
import { groupsOf, isRequired, PALETTE, requiredByOtherRules, requiredWhen, type Place } from './form-edit.ts';

const WIDGET_DATA = 'text/x-wf-widget';
const FIELD_DATA = 'text/x-wf-field';

export const widgetName = (widget: Widget): MessageKey => `designer.form.widget.${widget}` as MessageKey;

export function Palette({ onAdd }: { onAdd(widget: Widget): void }) {
  const { t } = useI18n();
  return (
    <nav className="wf-form-palette" aria-label={t('designer.form.palette')}>
      {PALETTE.map((group) => (
        <div key={group.group}>
          <Typography.Text type="secondary" className="wf-form-palette-group">
            {t(`designer.form.palette.${group.group}` as MessageKey)}
          </Typography.Text>
          <div className="wf-form-palette-items">
            {group.widgets.map((widget) => (
              <button
                key={widget}
                type="button"
                draggable
                className="wf-form-palette-item"
                data-widget={widget}
                title={t('designer.form.paletteHint')}
                onDragStart={(e) => {
                  e.dataTransfer.setData(WIDGET_DATA, widget);
                  e.dataTransfer.effectAllowed = 'copy';
                }}
                onClick={() => onAdd(widget)}
              >
                <PlusOutlined aria-hidden /> {t(widgetName(widget))}
              </button>
            ))}
          </div>
        </div>
      ))}
    </nav>
  );
}

export interface CanvasProps {
  def: FormDefinition;
  selected: string | null;
  /** Fields with a problem, by key. */
  faulty: ReadonlySet<string>;
  onSelect(key: string | null): void;
  onSelectSection(id: string): void;
  onAdd(widget: Widget, at: Place): void;
  onMove(key: string, to: Place): void;
  onRemove(key: string): void;
}

export function FormCanvas({ def, selected, faulty, onSelect, onSelectSection, onAdd, onMove, onRemove }: CanvasProps) {
  const { t, text } = useI18n();
  const [over, setOver] = useState<string | null>(null);
  const groups = groupsOf(def);
  const fields = (def.schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const sectioned = groups.length > 1;
  const ruled = requiredByOtherRules(def);

  const dropAt = (place: Place) => ({
    onDragOver: (e: DragEvent) => {
      if (!e.dataTransfer.types.includes(WIDGET_DATA) && !e.dataTransfer.types.includes(FIELD_DATA)) return;
      e.preventDefault();
      e.stopPropagation();
      setOver(`${place.section ?? ''}:${place.index}`);
    },
    onDragLeave: () => setOver(null),
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      e.stopPropagation();
      setOver(null);
      const widget = e.dataTransfer.getData(WIDGET_DATA);
      const field = e.dataTransfer.getData(FIELD_DATA);
      if (widget) onAdd(widget as Widget, place);
      else if (field) onMove(field, place);
    },
  });
  const isOver = (place: Place) => over === `${place.section ?? ''}:${place.index}`;

  return (
    <div className="wf-form-canvas" onClick={() => onSelect(null)}>
      {groups.map((group) => (
        <section key={group.id ?? '-'} className="wf-form-group" aria-label={group.title ? text(group.title) : t('designer.form.ungrouped')}>
          {sectioned && (
            <div className="wf-form-group-head">
              {group.id ? (
                <Button
                  type="text"
                  className="wf-form-group-title"
                  onClick={(e) => {
                    e.stopPropagation();
                    onSelectSection(group.id!);
                  }}
                >
                  {text(group.title) || group.id}
                </Button>
              ) : (
                <Typography.Text type="secondary">{t('designer.form.ungrouped')}</Typography.Text>
              )}
            </div>
          )}
          {group.fields.map((key, index) => {
            const schema = fields[key] ?? {};
            const ui = def.ui?.fields?.[key];
            const place = { section: group.id, index };
            const label = (text(ui?.label) || (schema.title as string | undefined)) ?? key;
            const isSelected = selected === key;
            const move = (by: -1 | 1) => onMove(key, { section: group.id, index: index + (by > 0 ? 2 : -1) });
            const keys = (e: KeyboardEvent) => {
              if (isSelected && e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
                e.preventDefault();
                move(e.key === 'ArrowUp' ? -1 : 1);
              } else if (isSelected && e.key === 'Delete') onRemove(key);
            };
            return (
              <div
                key={key}
                data-field={key}
                draggable
                className={['wf-form-field', isSelected && 'is-selected', faulty.has(key) && 'is-faulty', isOver(place) && 'is-over'].filter(Boolean).join(' ')}
                onDragStart={(e) => {
                  e.dataTransfer.setData(FIELD_DATA, key);
                  e.dataTransfer.effectAllowed = 'move';
                }}
                onClick={(e) => {
                  e.stopPropagation();
                  onSelect(key);
                }}
                {...dropAt(place)}
              >
                <HolderOutlined className="wf-form-field-grip" aria-hidden />
                {/* The field's own button: selected by Enter, moved by Alt+↑/↓, removed by Delete. */}
                <button type="button" className="wf-form-field-body" aria-pressed={isSelected} onKeyDown={keys} title={t('designer.form.fieldKeys')}>
                  <span>
                    <Typography.Text strong>{label}</Typography.Text>
                    {isRequired(def, key) && <span className="wf-form-required"> *</span>}
                  </span>
                  <span className="wf-form-field-tags">
                    <Typography.Text type="secondary" code>
                      {key}
                    </Typography.Text>
                    <Tag>{t(widgetName(widgetOf(schema, ui)))}</Tag>
                    {requiredWhen(def, key) && <Tag color="orange">{t('designer.form.tag.requiredWhen')}</Tag>}
                    {ruled.has(key) && <Tag color="orange">{t('designer.form.tag.ruled')}</Tag>}
                    {ui?.visibleWhen && <Tag color="blue">{t('designer.form.tag.visibleWhen')}</Tag>}
                    {schema.readOnly === true && <Tag>{t('designer.form.tag.readOnly')}</Tag>}
                    {faulty.has(key) && <Tag color="red">{t('designer.form.tag.problem')}</Tag>}
                  </span>
                </button>
                {isSelected && (
                  <span className="wf-form-field-actions" onClick={(e) => e.stopPropagation()}>
                    <Tooltip title={t('designer.form.moveUp')}>
                      <Button size="small" type="text" icon={<ArrowUpOutlined />} aria-label={t('designer.form.moveUp')} disabled={index === 0} onClick={() => move(-1)} />
                    </Tooltip>
                    <Tooltip title={t('designer.form.moveDown')}>
                      <Button size="small" type="text" icon={<ArrowDownOutlined />} aria-label={t('designer.form.moveDown')} disabled={index === group.fields.length - 1} onClick={() => move(1)} />
                    </Tooltip>
                    <Tooltip title={t('designer.form.remove')}>
                      <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('designer.form.remove')} onClick={() => onRemove(key)} />
                    </Tooltip>
                  </span>
                )}
              </div>
            );
          })}
          <div
            className={['wf-form-drop', isOver({ section: group.id, index: group.fields.length }) && 'is-over'].filter(Boolean).join(' ')}
            data-drop={group.id ?? ''}
            {...dropAt({ section: group.id, index: group.fields.length })}
          >
            {group.fields.length === 0 && !sectioned ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('designer.form.emptyCanvas')} /> : t('designer.form.dropHere')}
          </div>
        </section>
      ))}
    </div>
  );
}
