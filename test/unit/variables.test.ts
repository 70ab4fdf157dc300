import { expect } from 'chai';
import { WorkflowError, type ValidationIssue } from '../../engine/core/errors.ts';
import { normalizeVariables, VARIABLE_LIMITS } from '../../engine/core/variables.ts';

/** The validation error normalizeVariables throws for `input`. */
function refusal(input: unknown, field?: string): WorkflowError<'WF_ERR_VALIDATION'> {
  try {
    normalizeVariables(input, field);
  } catch (err) {
    expect(err).to.be.instanceOf(WorkflowError);
    const error = err as WorkflowError<'WF_ERR_VALIDATION'>;
    expect(error.code).to.equal('WF_ERR_VALIDATION');
    expect(error.status).to.equal(400);
    expect(error.context.reason['zh-CN']).to.be.a('string').and.have.length.above(0);
    expect(error.context.reason.en).to.be.a('string').and.have.length.above(0);
    return error;
  }
  return expect.fail(`expected ${JSON.stringify(input)?.slice(0, 80)} to be refused`);
}

const issuesOf = (error: WorkflowError<'WF_ERR_VALIDATION'>): ValidationIssue[] => error.context.issues ?? [{ field: error.context.field, rule: error.context.rule, reason: error.context.reason }];

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { inner: value };
  return value;
};

describe('normalizeVariables', () => {
  describe('plain values', () => {
    it('pass unchanged: strings, numbers, booleans, null, arrays and objects', () => {
      const input = { name: 'ann', amount: 12.5, count: 3, approved: false, note: null, tags: ['a', 'b'], address: { city: 'Hangzhou', zip: '310000' }, empty: {} };
      expect(normalizeVariables(input)).to.deep.equal(input);
    });

    it('returns a new object and leaves the input alone', () => {
      const input = { amount: { value: 5, type: 'Integer' } };
      const result = normalizeVariables(input);
      expect(result).to.not.equal(input);
      expect(input).to.deep.equal({ amount: { value: 5, type: 'Integer' } });
    });

    it('treats undefined and null as no variables', () => {
      expect(normalizeVariables(undefined)).to.deep.equal({});
      expect(normalizeVariables(null)).to.deep.equal({});
      expect(normalizeVariables({})).to.deep.equal({});
    });

    it('keeps objects that only look typed (unknown type, extra keys, no value)', () => {
      const input = {
        money: { value: 5, type: 'Money' },
        withExtra: { value: 5, type: 'Long', unit: 'cents' },
        noValue: { type: 'String' },
        numericType: { value: 'x', type: 5 },
      };
      expect(normalizeVariables(input)).to.deep.equal(input);
    });
  });

  describe('Camunda typed values', () => {
    it('unwrap to their value, whatever the case of the type name', () => {
      expect(
        normalizeVariables({
          s: { value: 'text', type: 'String' },
          b: { value: true, type: 'Boolean' },
          sh: { value: -32768, type: 'Short' },
          i: { value: 2147483647, type: 'Integer' },
          l: { value: 9007199254740991, type: 'Long' },
          d: { value: 0.25, type: 'Double' },
          date: { value: '2024-05-01T08:30:00.000+0800', type: 'Date' },
          j: { value: '{"a":1}', type: 'Json' },
          o: { value: { nested: [1, 2] }, type: 'Object', valueInfo: { objectTypeName: 'java.util.HashMap' } },
          n: { value: null, type: 'Null' },
          lower: { value: 7, type: 'long' },
          upper: { value: 'x', type: 'STRING' },
        }),
      ).to.deep.equal({
        s: 'text',
        b: true,
        sh: -32768,
        i: 2147483647,
        l: 9007199254740991,
        d: 0.25,
        date: '2024-05-01T08:30:00.000+0800',
        j: '{"a":1}',
        o: { nested: [1, 2] },
        n: null,
        lower: 7,
        upper: 'x',
      });
    });

    it('may carry valueInfo', () => {
      expect(normalizeVariables({ amount: { value: 5000, type: 'Long', valueInfo: {} } })).to.deep.equal({ amount: 5000 });
    });

    it('refuses a value that does not fit its type, naming the variable', () => {
      const cases: Array<[string, unknown]> = [
        ['Long', 'abc'],
        ['Long', 1.5],
        ['Long', 2 ** 60],
        ['Integer', 2147483648],
        ['Integer', '5'],
        ['Short', 32768],
        ['Double', '0.5'],
        ['Boolean', 'true'],
        ['Boolean', 1],
        ['String', 42],
        ['Date', 'not a date'],
        ['Null', 0],
      ];
      for (const [type, value] of cases) {
        const error = refusal({ x: { value, type } });
        expect(error.field, `${type} ${JSON.stringify(value)}`).to.equal('variables.x');
        expect(error.context.rule).to.equal('type');
        expect(error.context.reason.en).to.include(type);
      }
    });

    it('refuses a Date that is not an ISO 8601 date', () => {
      for (const value of ['1', 'March 7', '12/31/2024']) {
        const error = refusal({ due: { value, type: 'Date' } });
        expect(error.field, value).to.equal('variables.due');
      }
    });

    it('reports every wrong value at once, in order, with reasons in both languages', () => {
      const error = refusal({
        a: { value: 'one', type: 'Integer' },
        fine: 1,
        b: { value: 'yes', type: 'Boolean' },
        c: { value: 1.5, type: 'Long' },
      });
      expect(error.field, 'the first names the error').to.equal('variables.a');
      const issues = issuesOf(error);
      expect(issues.map((i) => [i.field, i.rule])).to.deep.equal([
        ['variables.a', 'type'],
        ['variables.b', 'type'],
        ['variables.c', 'type'],
      ]);
      expect(issues[0]!.reason).to.deep.equal({ 'zh-CN': '类型 Integer 的值应为整数', en: 'a Integer value must be an integer' });
      expect(error.localizedMessage('zh-CN')).to.equal('variables.a：类型 Integer 的值应为整数');
    });

    it('names the field after the caller’s prefix', () => {
      const error = refusal({ amount: { value: 'x', type: 'Long' } }, 'body.variables');
      expect(error.field).to.equal('body.variables.amount');
    });
  });

  describe('names and shape', () => {
    it('refuses forbidden names: __proto__, constructor, prototype', () => {
      const input = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1, "prototype": 2, "ok": 3}') as Record<string, unknown>;
      const error = refusal(input);
      expect(issuesOf(error).map((i) => [i.field, i.rule])).to.deep.equal([
        ['variables.__proto__', 'name'],
        ['variables.constructor', 'name'],
        ['variables.prototype', 'name'],
      ]);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });

    it('refuses an empty name and a name over 255 characters', () => {
      expect(refusal({ '': 1 }).field).to.equal('variables.');
      const long = 'n'.repeat(VARIABLE_LIMITS.nameLength + 1);
      expect(refusal({ [long]: 1 }).field).to.equal(`variables.${long}`);
      expect(normalizeVariables({ ['n'.repeat(VARIABLE_LIMITS.nameLength)]: 1 })).to.have.all.keys('n'.repeat(VARIABLE_LIMITS.nameLength));
    });

    it('refuses nesting deeper than 32 levels, naming the variable; 32 levels pass', () => {
      expect(VARIABLE_LIMITS.depth).to.equal(32);
      expect(() => normalizeVariables({ deep: nested(32) })).to.not.throw();
      expect(refusal({ deep: nested(33) }).field).to.equal('variables.deep');
      const error = refusal({ deep: nested(40), flat: 1 });
      expect(error.field).to.equal('variables.deep');
      expect(error.context.rule).to.equal('depth');
      expect(error.context.reason.en).to.include('32');
      const arrays = refusal({ matrix: JSON.parse(`${'['.repeat(50)}1${']'.repeat(50)}`) as unknown });
      expect(arrays.field).to.equal('variables.matrix');
    });

    it('checks the depth of a typed value after unwrapping it', () => {
      const error = refusal({ payload: { value: nested(40), type: 'Object' } });
      expect(error.field).to.equal('variables.payload');
      expect(error.context.rule).to.equal('depth');
    });

    it('refuses more than 500 names; 500 pass', () => {
      const of = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, i]));
      expect(Object.keys(normalizeVariables(of(VARIABLE_LIMITS.names)))).to.have.length(500);
      const error = refusal(of(VARIABLE_LIMITS.names + 1));
      expect(error.field).to.equal('variables');
      expect(error.context.rule).to.equal('maxProperties');
    });

    it('refuses variables over 1 MB in total', () => {
      const error = refusal({ a: 'x'.repeat(600_000), b: 'y'.repeat(600_000) });
      expect(error.field).to.equal('variables');
      expect(error.context.rule).to.equal('size');
    });

    it('refuses anything but an object, naming the field', () => {
      for (const input of [[1, 2], 'a=1', 42, true, [] as unknown[]]) {
        const error = refusal(input);
        expect(error.field, JSON.stringify(input)).to.equal('variables');
        expect(error.context.rule).to.equal('type');
      }
      expect(refusal(['x'], 'body.variables').field).to.equal('body.variables');
      expect(refusal('x').localizedMessage('en')).to.equal('variables: must be an object of variable names to values');
      expect(refusal('x').localizedMessage('zh-CN')).to.equal('流程变量：应为对象（变量名到值）');
    });
  });
});
