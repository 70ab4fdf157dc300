import { expect } from 'chai';
import { departmentField, describeRule, formatRule, parseRule, ruleProblem } from '../../designer/src/designer/rules.ts';
import { designerZh } from '../../designer/src/i18n/designer.zh-CN.ts';

const t = (key: string, values: Record<string, string | number> = {}) => (designerZh as Record<string, string>)[key]!.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k]));
const list = (items: string[]) => items.join('、');

describe('assignee rules as the dialog’s rows', () => {
  it('keeps a department named by a field (an office or a territory template) through rows and back', () => {
    const text = 'post:dept-head@${handlingOffice} | department:${territory}+children | department-head';
    const rows = parseRule(text);
    expect(rows.map((r) => [r.kind, r.key, r.department, r.children])).to.deep.equal([
      ['post', 'dept-head', '${handlingOffice}', false],
      ['department', '', '${territory}', true],
      ['department-head', '', '', false],
    ]);
    expect(formatRule(rows)).to.equal(text);
    expect(departmentField('${handlingOffice}')).to.equal('handlingOffice');
    expect(departmentField('traffic')).to.equal(null);
  });

  it('takes the templates as rules, and still names what is not one', () => {
    expect(ruleProblem('post:dept-head@${handlingOffice} | department:${territory}', t as never)).to.equal(null);
    expect(ruleProblem('post:dept-head@${not a field}', t as never)).to.contain('post:dept-head@${not a field}');
  });

  it('says them in words', () => {
    expect(describeRule('post:dept-head@${handlingOffice} | department:${territory}+children', t as never, list)).to.equal('字段 handlingOffice 指定的部门 的 dept-head，否则 字段 territory 指定的部门 及下级全体');
    expect(describeRule('user:${approver}', t as never, list), 'another template: as written').to.equal('user:${approver}');
  });
});
