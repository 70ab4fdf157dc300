import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { FormCompiler } from '../../forms/compile.ts';
import type { FormDefinition, Widget } from '../../forms/model.ts';
import { formType } from '../../forms/typescript.ts';
import {
  addField,
  addSection,
  blankForm,
  groupsOf,
  moveField,
  otherRules,
  requiredByOtherRules,
  patchUi,
  removeField,
  removeSection,
  renameField,
  requiredWhen,
  setRequired,
  setRequiredWhen,
  PALETTE,
} from '../../designer/src/designer/forms/form-edit.ts';

const ROOT = new URL('../../', import.meta.url);
const json = <T>(path: string): T => JSON.parse(readFileSync(new URL(path, ROOT), 'utf8')) as T;
const shipped = readdirSync(new URL('definitions/forms/', ROOT)).map((f) => json<FormDefinition>(`definitions/forms/${f}`));

function compiler() {
  const values = new Map<string, Set<string>>();
  for (const file of readdirSync(new URL('definitions/dictionaries/', ROOT))) {
    const d = json<{ key: string; items: Array<{ value: string }> }>(`definitions/dictionaries/${file}`);
    values.set(d.key, new Set(d.items.map((i) => i.value)));
  }
  return new FormCompiler({ dictionaries: { exists: (k) => values.has(k), has: (k, v) => values.get(k)?.has(v) } });
}

const label = { 'zh-CN': '字段', en: 'Field' };
const end = { section: null, index: 99 };
const words = {
  option: (n: number) => ({ 'zh-CN': `选项${n}`, en: `Option ${n}` }),
  material: { 'zh-CN': '材料', en: 'Material' },
  name: { 'zh-CN': '名称', en: 'Name' },
  amount: { 'zh-CN': '金额', en: 'Amount' },
  unit: '元',
};

describe('form designer edits', () => {
  it('every field of the palette makes a form that lints clean (a computed one once it names its inputs)', () => {
    const forms = compiler();
    for (const widget of PALETTE.flatMap((g) => g.widgets)) {
      const made = addField(blankForm('palette-test', { 'zh-CN': '测试', en: 'Test' }), widget, label, end, words);
      let def = made.def;
      if (widget === 'computed') {
        ({ def } = addField(def, 'table', label, end, words));
        def.schema.properties[made.key]['x-computed'].args = ['table1', 'amount'];
      }
      expect(forms.lint(def), widget).to.deep.equal([]);
    }
  });

  it('opens a shipped form and gives it back unchanged; a field moved and moved back changes no rule', () => {
    for (const form of shipped) {
      const before = structuredClone(form);
      const groups = groupsOf(form);
      const first = groups[0]!.fields[0]!;
      const moved = moveField(moveField(form, first, { section: groups[0]!.id, index: 3 }), first, { section: groups[0]!.id, index: 0 });
      expect(form, form.key).to.deep.equal(before);
      expect(moved.schema, form.key).to.deep.equal(form.schema);
      expect(groupsOf(moved), form.key).to.deep.equal(groups);
    }
  });

  it('keeps what it has no control for through its edits', () => {
    const leave = shipped.find((f) => f.key === 'leave-request')!;
    const edited = setRequired(patchUi(leave, 'reason', { help: { 'zh-CN': '简述', en: 'Briefly' } }), 'mobile', true);
    expect(edited.schema.properties.days['x-computed']).to.deep.equal(leave.schema.properties.days['x-computed']);
    expect(edited.ui!.fields!.sickNote).to.deep.equal(leave.ui!.fields!.sickNote);
    expect(edited.schema.required).to.include('mobile');
    expect(edited.ui!.fields!.reason!.placeholder).to.deep.equal(leave.ui!.fields!.reason!.placeholder);
  });

  it('renames a field everywhere the form names it', () => {
    const leave = shipped.find((f) => f.key === 'leave-request')!;
    const out = renameField(renameField(leave, 'leaveType', 'kind'), 'startDate', 'firstDay');
    expect(out.schema.properties).to.have.property('kind');
    expect(out.schema.properties).not.to.have.property('leaveType');
    expect(out.schema.required).to.include.members(['kind', 'firstDay']);
    expect(out.schema.properties.days['x-computed'].args).to.deep.equal(['firstDay', 'endDate']);
    expect(out.ui!.fields!.sickNote!.visibleWhen).to.deep.equal({ field: 'kind', equals: 'sick' });
    expect(requiredWhen(out, 'sickNote')).to.deep.equal({ field: 'kind', equals: 'sick' });
    expect(out.ui!.sections!.flatMap((s) => s.fields)).to.include('kind');
    expect(compiler().lint(out)).to.deep.equal([]);
    expect(renameField(leave, 'reason', 'days'), 'a key in use').to.equal(leave);
  });

  it('makes a field required under a condition, and the compiled form requires it then only', () => {
    let def = blankForm('conditional', { 'zh-CN': '条件', en: 'Conditional' });
    ({ def } = addField(def, 'radio', { 'zh-CN': '是否出差', en: 'Travel' }, end, words));
    ({ def } = addField(def, 'text', { 'zh-CN': '目的地', en: 'Destination' }, end, words));
    def = setRequiredWhen(def, 'text1', { field: 'radio1', equals: 'a' });
    def = patchUi(def, 'text1', { visibleWhen: { field: 'radio1', equals: 'a' } });
    expect(requiredWhen(def, 'text1')).to.deep.equal({ field: 'radio1', equals: 'a' });
    const form = compiler().compile(def, 1);
    const when = form.validate({ radio1: 'a' }, { mode: 'submit', locale: 'zh-CN' });
    expect(when.issues.map((i) => i.message)).to.deep.equal(['目的地：必填']);
    expect(form.validate({ radio1: 'b' }, { mode: 'submit', locale: 'zh-CN' }).valid).to.equal(true);
    // Removing the field it depends on removes the rule and the visibility condition.
    const without = removeField(def, 'radio1');
    expect(requiredWhen(without, 'text1')).to.equal(null);
    expect(without.ui!.fields!.text1?.visibleWhen).to.equal(undefined);
    expect(compiler().lint(without)).to.deep.equal([]);
  });

  it('lists the rules it cannot edit, and keeps them', () => {
    const roadPass = shipped.find((f) => f.key === 'road-pass-application')!;
    const others = otherRules(roadPass);
    const edited = setRequiredWhen(roadPass, 'remarks', { field: 'applicantType', notEmpty: true });
    expect(otherRules(edited)).to.deep.equal(others);
    expect([...requiredByOtherRules(shipped.find((f) => f.key === 'leave-request')!)]).to.deep.equal(['handover']);
  });

  it('groups fields in sections, moves them between sections and takes a section away', () => {
    let def = blankForm('sections', { 'zh-CN': '分组', en: 'Sections' });
    for (const widget of ['text', 'mobile', 'date'] as Widget[]) ({ def } = addField(def, widget, label, end, words));
    const first = addSection(def, { 'zh-CN': '基本信息', en: 'Basics' });
    const id = first.id;
    def = first.def;
    expect(groupsOf(def)).to.deep.equal([
      { id, title: { 'zh-CN': '基本信息', en: 'Basics' }, fields: ['text1', 'mobile1', 'date1'] },
      { id: null, fields: [] },
    ]);
    const second = addSection(def, { 'zh-CN': '联系方式', en: 'Contact' });
    def = moveField(second.def, 'mobile1', { section: second.id, index: 0 });
    expect(groupsOf(def).map((g) => g.fields)).to.deep.equal([['text1', 'date1'], ['mobile1'], []]);
    expect(def.ui!.order).to.deep.equal(['text1', 'date1', 'mobile1']);
    def = removeSection(def, id);
    expect(groupsOf(def).map((g) => g.fields)).to.deep.equal([['mobile1'], ['text1', 'date1']]);
    expect(compiler().lint(def)).to.deep.equal([]);
  });

  it('shows the form as a TypeScript type: required fields plain, the rest optional, choices as unions', () => {
    let def = blankForm('trip-request', { 'zh-CN': '出差申请', en: 'Trip request' });
    ({ def } = addField(def, 'radio', { 'zh-CN': '交通', en: 'Transport' }, end, words));
    ({ def } = addField(def, 'table', { 'zh-CN': '行程', en: 'Legs' }, end, words));
    def = setRequired(def, 'radio1', true);
    const type = formType(def);
    expect(type).to.contain('export interface TripRequest {');
    expect(type).to.contain('radio1: "a" | "b";');
    expect(type).to.match(/table1\?: \{\n\s+\/\*\*\n\s+\* 名称 \(Name\)\n\s+\*\/\n\s+name: string;\n[\s\S]*amount\?: number;\n\s+\}\[\];/);
  });
});
