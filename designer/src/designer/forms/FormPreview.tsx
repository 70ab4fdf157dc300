/**
 * The form as a clerk or a citizen will see it: rendered by the renderer the
 * workbench and the portal use, checked by the same library as the server
 * (so the messages are the server's, word for word). "校验" checks as a
 * submission would; after that every change is checked as it is made.
 */
import { Alert, Button, Space } from 'antd';
import { useMemo, useState } from 'react';
import type { FieldIssue, FormDefinition } from '../../../../forms/index.ts';
import { useI18n } from '../../i18n/index.tsx';
import { SchemaForm, type FormView } from '../../forms/SchemaForm.tsx';
import { useFormCheck } from '../../forms/useFormCheck.ts';
import type { FormValues } from '../../forms/schema.ts';

export function FormPreview({ def, problems }: { def: FormDefinition; problems: number }) {
  const { t } = useI18n();
  const view: FormView = useMemo(() => ({ key: def.key, version: 0, title: def.title, schema: def.schema, ...(def.ui && { ui: def.ui }) }), [def]);
  const check = useFormCheck(view);
  const [values, setValues] = useState<FormValues>({});
  const [checked, setChecked] = useState(false);
  const [attempts, setAttempts] = useState(0);
  const issues: FieldIssue[] = useMemo(() => (checked && check ? check(values, 'submit').issues : []), [checked, check, values]);
  const valid = checked && check !== null && issues.length === 0;
  return (
    <div className="wf-form-preview">
      {problems > 0 && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('designer.form.previewProblems', { count: problems })} />}
      <SchemaForm form={view} value={values} onChange={setValues} issues={issues} revealIssues={attempts} />
      <Space style={{ marginTop: 12 }}>
        <Button
          type="primary"
          disabled={!check}
          onClick={() => {
            setChecked(true);
            setAttempts((n) => n + 1);
          }}
        >
          {t('designer.form.check')}
        </Button>
        <Button
          onClick={() => {
            setValues({});
            setChecked(false);
          }}
        >
          {t('designer.form.clear')}
        </Button>
      </Space>
      {valid && <Alert type="success" showIcon style={{ marginTop: 12 }} title={t('designer.form.checkPassed')} />}
    </div>
  );
}
