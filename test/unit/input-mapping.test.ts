import { expect } from 'chai';
import { checkMapping, type KnownVariable } from '../../designer/src/designer/modeler/mappings.ts';

// payment.createOrder's input, as the connector declares it.
const amountFen = { type: 'integer', minimum: 1 };
const subject = { type: 'string', minLength: 1, maxLength: 128 };
const channel = { type: 'string', enum: ['sms', 'email'] };
const variables = new Map<string, KnownVariable>([
  ['amount', { name: 'amount', type: 'number', source: '合计金额' }],
  ['days', { name: 'days', type: 'integer', source: '请假天数' }],
  ['title', { name: 'title', type: 'string', source: '报销事由' }],
  ['applicant', { name: 'applicant', type: 'object', source: '申请人' }],
]);
const keyOf = (value: string, input: Record<string, unknown>, required = true) => checkMapping(value, input, required, variables)?.key ?? null;

describe('the input mapping checked against the operation’s schema', () => {
  it('wants a required input', () => {
    expect(keyOf('', amountFen)).to.equal('designer.map.required');
    expect(keyOf('  ', subject, false)).to.equal(null);
  });

  it('takes plain text as text: a number must be an expression', () => {
    const problem = checkMapping('5000', amountFen, true, variables);
    expect(problem).to.deep.include({ level: 'error', key: 'designer.map.literalNotText' });
    expect(problem?.values?.example).to.equal('${5000}');
    expect(keyOf('${5000}', amountFen)).to.equal(null);
    expect(keyOf('出差北京', subject)).to.equal(null);
  });

  it('checks a variable against the input’s type', () => {
    expect(checkMapping('${title}', amountFen, true, variables)).to.deep.include({ level: 'error', key: 'designer.map.typeMismatch' });
    expect(checkMapping('${amount}', amountFen, true, variables)).to.deep.include({ level: 'warning', key: 'designer.map.typeMismatch' });
    expect(keyOf('${days}', amountFen)).to.equal(null);
    expect(keyOf('${ days }', { type: 'number' })).to.equal(null);
    expect(keyOf('${applicant.name}', subject), 'a part of an object: its type is unknown').to.equal(null);
    expect(keyOf('${amount * 100}', amountFen), 'an expression: checked at run time').to.equal(null);
  });

  it('warns of a variable nothing sets', () => {
    expect(checkMapping('${nobody}', subject, true, variables)).to.deep.include({ level: 'warning', key: 'designer.map.unknownVariable' });
  });

  it('checks literal text against the choices, the pattern and the length', () => {
    expect(keyOf('fax', channel)).to.equal('designer.map.notAChoice');
    expect(keyOf('sms', channel)).to.equal(null);
    expect(keyOf('SF12', { type: 'string', pattern: '^SF\\d{12}$' })).to.equal('designer.map.pattern');
    expect(keyOf('很'.repeat(129), subject)).to.equal('designer.map.tooLong');
  });
});
