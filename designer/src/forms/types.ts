import type { FieldIssue, FieldUi, JsonSchema, Widget } from '../../../forms/index.ts';
import type { Dictionaries } from './dictionaries.ts';
import type { FormValues, FormView } from './schema.ts';

/** What every widget is given: one value of the form, where it is, and how to change it. */
export interface WidgetProps {
  form: FormView;
  /** The UI schema path: `reason`, `items.amount`. */
  path: string;
  /** The JSON pointer of the value: `/reason`, `/items/2/amount`. */
  pointer: string;
  /** The DOM id of the control (its label points at it). */
  id: string;
  schema: JsonSchema;
  ui: FieldUi | undefined;
  widget: Widget;
  label: string;
  /** The control's accessible name where no label element names it (a table cell: 第 2 行金额). */
  ariaLabel?: string;
  value: unknown;
  onChange(value: unknown): void;
  /** Change the value from its latest state (changes that land together, like two uploads finishing, each build on the last). */
  update(change: (previous: unknown) => unknown): void;
  onBlur?(): void;
  disabled: boolean;
  /** The whole form's values (materials follow the chosen class). */
  data: FormValues;
  /** The problems of this value and of what is inside it. */
  issues: FieldIssue[];
  dictionaries: Dictionaries | null;
  /** Whether the control shows its problem in red (the message itself is under it). */
  invalid: boolean;
}
