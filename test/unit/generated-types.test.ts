import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormCompiler, type CompiledForm, type ValidationOutcome } from '../../forms/compile.ts';
import type { ExpenseClaim, LeaveRequest } from '../../forms/generated/index.ts';
import type { FormDefinition } from '../../forms/model.ts';
import { GENERATED, generateFormTypes } from '../../scripts/generate-form-types.ts';

const ROOT = new URL('../../', import.meta.url);
const json = <T>(path: string): T => JSON.parse(readFileSync(new URL(path, ROOT), 'utf8')) as T;

function demoDictionaries() {
  const values = new Map<string, Set<string>>();
  for (const file of readdirSync(new URL('definitions/dictionaries/', ROOT))) {
    const dictionary = json<{ key: string; items: Array<{ value: string }> }>(`definitions/dictionaries/${file}`);
    values.set(dictionary.key, new Set(dictionary.items.map((item) => item.value)));
  }
  return { exists: (key: string) => values.has(key), has: (key: string, value: string) => values.get(key)?.has(value) };
}

/**
 * The generated types are interfaces, which have no implicit index signature:
 * `result.data as LeaveRequest` (FormData is Record<string, unknown>) does not
 * compile, so the cast goes through unknown, once, here.
 */
const dataOf = <T extends object>(result: ValidationOutcome): T => result.data as unknown as T;

describe('generated form types', () => {
  it('forms/generated is up to date with definitions/forms (else run `npm run forms:types`)', async () => {
    const expected = await generateFormTypes();
    const present = readdirSync(GENERATED).filter((f) => f.endsWith('.ts')).sort();
    const fix = 'run `npm run forms:types`';
    for (const name of expected.keys()) expect(present, `forms/generated/${name} is missing: ${fix}`).to.include(name);
    for (const name of present) {
      expect(expected.has(name), `forms/generated/${name} belongs to no form: ${fix}`).to.equal(true);
      expect(readFileSync(join(GENERATED, name), 'utf8') === expected.get(name), `forms/generated/${name} is stale: ${fix}`).to.equal(true);
    }
  });

  it('generates the same output twice', async () => {
    expect([...(await generateFormTypes())]).to.deep.equal([...(await generateFormTypes())]);
  });

  describe('typed form data through the compiler', () => {
    let leaveForm: CompiledForm;
    let expenseForm: CompiledForm;
    before(() => {
      const compiler = new FormCompiler({ dictionaries: demoDictionaries() });
      leaveForm = compiler.compile(json<FormDefinition>('definitions/forms/leave-request.json'), 1);
      expenseForm = compiler.compile(json<FormDefinition>('definitions/forms/expense-claim.json'), 1);
    });

    it('computes the leave days, start and end inclusive', () => {
      const input: Omit<LeaveRequest, 'days'> = { leaveType: 'annual', startDate: '2024-03-04', endDate: '2024-03-08', reason: '回老家探亲', handover: 'user-42' };
      const result = leaveForm.validate(input, { mode: 'submit', locale: 'en' });
      expect(result.issues).to.deep.equal([]);
      const leave = dataOf<LeaveRequest>(result);
      const days: number = leave.days; // computed, so always there after validation
      expect(days).to.equal(5);
      // @ts-expect-error days is a number: the generated type is checked, not any
      const _wrong: string = leave.days;
    });

    it('applies the conditions on fields the type declares optional', () => {
      const input: Omit<LeaveRequest, 'days'> = { leaveType: 'sick', startDate: '2024-03-04', endDate: '2024-03-04', reason: '感冒发烧' };
      const result = leaveForm.validate(input, { mode: 'submit', locale: 'en' });
      expect(result.valid).to.equal(false);
      expect(result.issues.map((i) => i.rule)).to.deep.equal(['required']);
      expect(dataOf<LeaveRequest>(result).days).to.equal(1);
    });

    it('totals the expense items', () => {
      const items: ExpenseClaim['items'] = [
        { date: '2024-03-04', category: 'travel', amount: 12.5 },
        { date: '2024-03-05', category: 'meals', description: '工作餐', amount: 30.25 },
      ];
      const result = expenseForm.validate({ title: '出差北京', items } satisfies ExpenseClaim, { mode: 'submit', locale: 'zh-CN' });
      expect(result.issues).to.deep.equal([]);
      const claim = dataOf<ExpenseClaim>(result);
      const total: number | undefined = claim.amount;
      expect(total).to.equal(claim.items.reduce((sum, item) => sum + item.amount, 0));
      expect(total).to.equal(42.75);
    });
  });
});
