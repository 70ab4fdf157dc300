/** From a field's widget name to its control. */
import type { ReactNode } from 'react';
import { CheckboxWidget, ComputedWidget, DateRangeWidget, DateWidget, NumberWidget, RadioWidget, SelectWidget, SwitchWidget, TextareaWidget, TextWidget } from './basic.tsx';
import { DepartmentPicker, UserPicker } from './pickers.tsx';
import { OfficeWidget } from './OfficeWidget.tsx';
import { RegionWidget } from './RegionWidget.tsx';
import { TableWidget } from './TableWidget.tsx';
import type { WidgetProps } from './types.ts';
import { FileWidget, MaterialsWidget } from './uploads.tsx';

export function renderWidget(p: WidgetProps): ReactNode {
  switch (p.widget) {
    case 'textarea':
      return <TextareaWidget {...p} />;
    case 'number':
    case 'integer':
    case 'money':
      return <NumberWidget {...p} />;
    case 'date':
    case 'datetime':
      return <DateWidget {...p} />;
    case 'dateRange':
      return <DateRangeWidget {...p} />;
    case 'select':
      return <SelectWidget {...p} />;
    case 'office':
      return <OfficeWidget {...p} />;
    case 'radio':
      return <RadioWidget {...p} />;
    case 'checkbox':
      return <CheckboxWidget {...p} />;
    case 'switch':
      return <SwitchWidget {...p} />;
    case 'region':
      return typeof p.schema['x-dictionary'] === 'string' ? <RegionWidget {...p} /> : <TextWidget {...p} />;
    case 'user':
      return <UserPicker {...p} />;
    case 'department':
      return <DepartmentPicker {...p} />;
    case 'file':
      return <FileWidget {...p} />;
    case 'materials':
      return <MaterialsWidget {...p} />;
    case 'table':
      return <TableWidget {...p} renderCell={renderWidget} />;
    case 'computed':
      return <ComputedWidget {...p} />;
    case 'text':
    case 'idNumber':
    case 'mobile':
    case 'plate':
    case 'postcode':
    case 'email':
    default:
      return <TextWidget {...p} />;
  }
}

/** Widgets that show the problems inside their value themselves (cells, materials): the field shows only the rest. */
export function ownsIssue(p: Pick<WidgetProps, 'widget' | 'pointer'>, pointer: string): boolean {
  if (p.widget === 'table') return /^\/\d+\/[^/]+/.test(pointer.slice(p.pointer.length));
  if (p.widget === 'materials') return /^\/[^/]+/.test(pointer.slice(p.pointer.length));
  return false;
}
