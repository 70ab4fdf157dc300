import { expect } from 'chai';
import {
  compileTemplate,
  evaluateCondition,
  EXECUTION_FACADE,
  ExpressionError,
  variablesContext,
  type ExecutionFacade,
  type ExpressionContext,
  type ExpressionErrorKind,
} from '../../engine/core/expressions/index.ts';

function run(text: string, vars: Record<string, unknown> = {}, extra?: Partial<ExpressionContext>): unknown {
  return compileTemplate(text).evaluate(variablesContext(vars, extra));
}

function failure(action: () => unknown, kind: ExpressionErrorKind): ExpressionError {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(ExpressionError);
    const expressionError = error as ExpressionError;
    expect(expressionError.kind, expressionError.message).to.equal(kind);
    return expressionError;
  }
  return expect.fail(`expected an ExpressionError of kind '${kind}'`);
}

const fails = (text: string, kind: ExpressionErrorKind, vars: Record<string, unknown> = {}) => failure(() => run(text, vars), kind);

/** A context that records every identifier it is asked for. */
function recordingContext(vars: Record<string, unknown>): { ctx: ExpressionContext; asked: string[] } {
  const asked: string[] = [];
  const inner = variablesContext(vars);
  return { asked, ctx: { resolve: (name) => (asked.push(name), inner.resolve(name)) } };
}

function facade(variables: Record<string, unknown>, businessKey: string | null = 'order-42'): ExecutionFacade {
  return {
    [EXECUTION_FACADE]: true,
    getVariable: (name) => variables[name] ?? null,
    hasVariable: (name) => Object.hasOwn(variables, name),
    getProcessBusinessKey: () => businessKey,
  };
}

describe('expressions (JUEL)', () => {
  describe('templates', () => {
    it('returns plain text unchanged and flags it as literal', () => {
      const t = compileTemplate('just text, $ and # and {braces}');
      expect(t.isLiteral).to.equal(true);
      expect(t.isSingleExpression).to.equal(false);
      expect(t.evaluate(variablesContext({}))).to.equal('just text, $ and # and {braces}');
      expect(compileTemplate('').evaluate(variablesContext({}))).to.equal('');
    });

    it('keeps the type of a template that is exactly one expression', () => {
      const t = compileTemplate('${n}');
      expect(t.isSingleExpression).to.equal(true);
      expect(t.isLiteral).to.equal(false);
      expect(t.evaluate(variablesContext({ n: 7 }))).to.equal(7);
      expect(t.evaluate(variablesContext({ n: [1] }))).to.deep.equal([1]);
      expect(t.evaluate(variablesContext({ n: null }))).to.equal(null);
      expect(t.evaluate(variablesContext({ n: undefined }))).to.equal(null);
    });

    it('concatenates composite text into a string, null parts becoming empty', () => {
      const t = compileTemplate('Hello ${name}, ${n} items${missing}');
      expect(t.isSingleExpression).to.equal(false);
      expect(t.evaluate(variablesContext({ name: 'Ann', n: 3, missing: null }))).to.equal('Hello Ann, 3 items');
      expect(run('${a}${b}', { a: 1, b: 2 })).to.equal('12');
      expect(run(' ${flag}', { flag: true })).to.equal(' true');
    });

    it('supports deferred #{} with the same meaning', () => {
      expect(compileTemplate('#{n + 1}').isSingleExpression).to.equal(true);
      expect(run('#{n + 1}', { n: 1 })).to.equal(2);
      expect(run('#{a}-#{b}', { a: 'x', b: 'y' })).to.equal('x-y');
    });

    it('refuses to mix ${} and #{} as JUEL does', () => {
      const error = failure(() => compileTemplate('${a} #{b}'), 'syntax');
      expect(error.position).to.equal(5);
    });

    it('treats \\${ and \\#{ as literal openers and keeps other backslashes', () => {
      const t = compileTemplate('cost \\${price} or \\#{x} in C:\\dir');
      expect(t.isLiteral).to.equal(true);
      expect(t.evaluate(variablesContext({}))).to.equal('cost ${price} or #{x} in C:\\dir');
      expect(run('\\\\${a}', { a: 1 })).to.equal('\\${a}');
    });

    it('ends an expression at its own closing brace, not one inside a string', () => {
      expect(run("${'}' == s} done", { s: '}' })).to.equal('true done');
    });

    it('compiles once and evaluates many times without resolving at compile time', () => {
      const asked: string[] = [];
      const t = compileTemplate('${x * 2}');
      const ctx = (x: number): ExpressionContext => ({ resolve: (name) => (asked.push(name), { found: true, value: x }) });
      expect(asked).to.deep.equal([]);
      expect(t.evaluate(ctx(2))).to.equal(4);
      expect(t.evaluate(ctx(5))).to.equal(10);
      expect(asked).to.deep.equal(['x', 'x']);
    });
  });

  describe('literals', () => {
    it('reads booleans, null, integers and decimals', () => {
      expect(run('${true}')).to.equal(true);
      expect(run('${false}')).to.equal(false);
      expect(run('${null}')).to.equal(null);
      expect(run('${42}')).to.equal(42);
      expect(run('${1.5}')).to.equal(1.5);
      expect(run('${1e3}')).to.equal(1000);
      expect(run('${2.5E-1}')).to.equal(0.25);
      expect(run('${.5}')).to.equal(0.5);
    });

    it('reads strings in either quote with \\\', \\" and \\\\ escapes', () => {
      expect(run("${'it\\'s'}")).to.equal("it's");
      expect(run('${"say \\"hi\\""}')).to.equal('say "hi"');
      expect(run("${'a\\\\b'}")).to.equal('a\\b');
      expect(run(`\${"it's"}`)).to.equal("it's");
    });

    it('rejects other escapes and unterminated strings with their position', () => {
      expect(failure(() => compileTemplate("${'a\\nb'}"), 'syntax').message).to.equal("Invalid escape sequence '\\n' at 4");
      expect(failure(() => compileTemplate("${'abc}"), 'syntax').position).to.equal(2);
    });
  });

  describe('operators and keyword aliases', () => {
    const cases: [string, unknown][] = [
      ['${7 + 2}', 9],
      ['${7 - 2}', 5],
      ['${7 * 2}', 14],
      ['${7 / 2}', 3.5],
      ['${7 div 2}', 3.5],
      ['${7 % 3}', 1],
      ['${7 mod 3}', 1],
      ['${1 < 2}', true],
      ['${2 lt 1}', false],
      ['${2 > 1}', true],
      ['${1 gt 2}', false],
      ['${2 <= 2}', true],
      ['${3 le 2}', false],
      ['${2 >= 2}', true],
      ['${1 ge 2}', false],
      ['${1 == 1}', true],
      ['${1 eq 2}', false],
      ['${1 != 1}', false],
      ['${1 ne 2}', true],
      ['${true && false}', false],
      ['${true and true}', true],
      ['${false || true}', true],
      ['${false or false}', false],
      ['${!true}', false],
      ['${not false}', true],
      ['${-(2)}', -2],
      ['${empty ""}', true],
      ['${true ? "yes" : "no"}', 'yes'],
      ['${false ? "yes" : "no"}', 'no'],
    ];
    for (const [text, expected] of cases) {
      it(`${text} is ${String(expected)}`, () => expect(run(text)).to.equal(expected));
    }
  });

  describe('precedence', () => {
    const cases: [string, unknown][] = [
      ['${1 + 2 * 3}', 7],
      ['${(1 + 2) * 3}', 9],
      ['${10 - 4 - 3}', 3],
      ['${2 * 3 % 4}', 2],
      ['${-2 * -3}', 6],
      ['${1 + 1 == 2}', true],
      ['${1 < 2 == 2 > 1}', true],
      ['${true || false && false}', true],
      ['${!false && false}', false],
      ['${not true or true}', true],
      ['${empty list == false}', true],
      ['${true ? 1 : false ? 2 : 3}', 1],
      ['${false ? 1 : true ? 2 : 3}', 2],
      ['${1 + 2 > 2 && 3 > 2 ? "a" : "b"}', 'a'],
      ['${order.items[1].qty * 2}', 6],
    ];
    const vars = { list: [1], order: { items: [{ qty: 1 }, { qty: 3 }] } };
    for (const [text, expected] of cases) {
      it(`${text} is ${String(expected)}`, () => expect(run(text, vars)).to.equal(expected));
    }
  });

  describe('short-circuit', () => {
    for (const text of ['${false && x}', '${false and x}', '${true || x}', '${true or x}', '${true ? 1 : x}', '${false ? x : 1}']) {
      it(`${text} never resolves x`, () => {
        const { ctx, asked } = recordingContext({});
        compileTemplate(text).evaluate(ctx);
        expect(asked).to.deep.equal([]);
      });
    }

    it('does evaluate the right side when the left does not decide', () => {
      const { ctx, asked } = recordingContext({ x: 'TRUE' });
      expect(compileTemplate('${true && x}').evaluate(ctx)).to.equal(true);
      expect(asked).to.deep.equal(['x']);
      expect(() => run('${true && x}')).to.throw(ExpressionError, "Cannot resolve identifier 'x'");
    });
  });

  describe('coercion', () => {
    describe('to number', () => {
      it('treats null and "" as 0 and parses numeric strings', () => {
        expect(run('${n + 1}', { n: null })).to.equal(1);
        expect(run("${'' + 1}")).to.equal(1);
        expect(run("${'5' + 1}")).to.equal(6);
        expect(run("${'1.5' * 2}")).to.equal(3);
        expect(run("${'-2e1' - 1}")).to.equal(-21);
        expect(run("${-'3'}")).to.equal(-3);
      });

      it('gives 0 for null with null, as JUEL does', () => {
        expect(run('${a + b}', { a: null, b: null })).to.equal(0);
        expect(run('${a / b}', { a: null, b: null })).to.equal(0);
        expect(run('${-a}', { a: null })).to.equal(0);
      });

      it('refuses non-numeric strings, including ones JavaScript would accept', () => {
        for (const s of ['abc', ' 5', '0x10', 'Infinity', 'NaN', '1,5']) fails('${s + 1}', 'type', { s });
      });

      it('refuses booleans and objects', () => {
        fails('${true + 1}', 'type');
        fails('${-true}', 'type');
        fails('${m * 2}', 'type', { m: {} });
      });

      it("has no string concatenation: 'a' + 'b' is a type error", () => {
        expect(fails("${'a' + 'b'}", 'type').message).to.equal("Cannot coerce string 'a' to a number");
      });
    });

    describe('to boolean', () => {
      it('treats null and "" as false and only "true" in any case as true', () => {
        expect(run('${!n}', { n: null })).to.equal(true);
        expect(run("${!''}")).to.equal(true);
        expect(run("${!'TRUE'}")).to.equal(false);
        expect(run("${'True' && true}")).to.equal(true);
        expect(run("${!'yes'}")).to.equal(true);
        expect(run("${'1' ? 'a' : 'b'}")).to.equal('b');
      });

      it('refuses numbers and objects', () => {
        fails('${!0}', 'type');
        fails("${1 ? 'a' : 'b'}", 'type');
        fails('${m && true}', 'type', { m: { a: 1 } });
      });
    });

    describe('to string', () => {
      const cases: [string, Record<string, unknown>, string][] = [
        ['${v}', { v: null }, ''],
        ['${v}', { v: 3 }, '3'],
        ['${v}', { v: 1.0 }, '1'],
        ['${v}', { v: 1.5 }, '1.5'],
        ['${v}', { v: -0.25 }, '-0.25'],
        ['${v}', { v: 1e18 }, '1000000000000000000'],
        ['${v}', { v: 1e20 }, '1.0E20'],
        ['${v}', { v: 0.0001 }, '1.0E-4'],
        ['${v}', { v: 12345678.5 }, '1.23456785E7'],
        ['${v}', { v: 1e22 }, '1.0E22'],
        ['${v}', { v: 1 / 0 }, 'Infinity'],
        ['${v}', { v: true }, 'true'],
        ['${v}', { v: { a: [1, 'x'] } }, '{"a":[1,"x"]}'],
        ['${v}', { v: [null, 2] }, '[null,2]'],
        ['${v}', { v: new Date(Date.UTC(2024, 0, 2)) }, '2024-01-02T00:00:00.000Z'],
      ];
      for (const [text, vars, expected] of cases) {
        it(`prints ${JSON.stringify(String(vars.v))} as ${JSON.stringify(expected)}`, () => {
          expect(run(`[${text}]`, vars)).to.equal(`[${expected}]`);
        });
      }

      it('refuses values JSON cannot represent', () => {
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        fails('[${v}]', 'type', { v: cyclic });
      });
    });

    describe('== and !=', () => {
      it('treats two nulls as equal and one null as different', () => {
        expect(run('${a == b}', { a: null, b: null })).to.equal(true);
        expect(run('${a == 0}', { a: null })).to.equal(false);
        expect(run("${a != ''}", { a: null })).to.equal(true);
      });

      it('compares numerically when either side is a number', () => {
        expect(run("${1 == '1'}")).to.equal(true);
        expect(run("${1 == '1.0'}")).to.equal(true);
        expect(run("${n eq '042'}", { n: 42 })).to.equal(true);
        fails("${1 == 'abc'}", 'type');
        fails('${1 == true}', 'type');
      });

      it('coerces to boolean when either side is a boolean', () => {
        expect(run("${true == 'TRUE'}")).to.equal(true);
        expect(run("${'yes' == false}")).to.equal(true);
        expect(run('${n == false}', { n: '' })).to.equal(true);
      });

      it('compares strings as strings', () => {
        expect(run("${'a' == 'a'}")).to.equal(true);
        expect(run("${'1' == '01'}")).to.equal(false);
        expect(run("${'a' ne 'b'}")).to.equal(true);
      });

      it('compares plain objects and arrays deeply', () => {
        const vars = { a: { x: [1, { y: 2 }] }, b: { x: [1, { y: 2 }] }, c: { x: [1, { y: 3 }] }, d: { x: [1, { y: 2 }], z: null } };
        expect(run('${a == b}', vars)).to.equal(true);
        expect(run('${a != c}', vars)).to.equal(true);
        expect(run('${a == d}', vars)).to.equal(false);
        expect(run('${a.x == b.x}', vars)).to.equal(true);
      });
    });

    describe('< > <= >=', () => {
      it('is false when one side is null', () => {
        for (const op of ['<', '>', '<=', '>=']) expect(run(`\${n ${op} 1}`, { n: null }), op).to.equal(false);
      });

      it('treats two nulls as equal (JUEL defines <= as not >)', () => {
        expect(run('${a <= b}', { a: null, b: null })).to.equal(true);
        expect(run('${a < b}', { a: null, b: null })).to.equal(false);
      });

      it('compares numerically when either side is a number', () => {
        expect(run("${'10' > 9}")).to.equal(true);
        expect(run("${'10' > '9'}")).to.equal(false);
        fails("${'abc' < 5}", 'type');
        fails('${1 < true}', 'type');
      });

      it('compares strings lexicographically and booleans as false < true', () => {
        expect(run("${'b' > 'a'}")).to.equal(true);
        expect(run("${'B' < 'a'}")).to.equal(true);
        expect(run('${true > false}')).to.equal(true);
      });

      it('refuses to order objects and arrays', () => {
        fails('${a < b}', 'type', { a: {}, b: {} });
        fails("${a > 'x'}", 'type', { a: [1] });
      });
    });

    describe('arithmetic', () => {
      it('divides in floating point, giving Infinity and NaN for zero divisors', () => {
        expect(run('${1 / 0}')).to.equal(Infinity);
        expect(Number.isNaN(run('${0 div 0}'))).to.equal(true);
      });

      it('takes the remainder with the sign of the dividend, and refuses integer modulo by zero', () => {
        expect(run('${-7 % 3}')).to.equal(-1);
        expect(run('${5.5 mod 2}')).to.equal(1.5);
        fails('${5 % 0}', 'type');
      });
    });

    describe('empty', () => {
      const cases: [unknown, boolean][] = [[null, true], ['', true], [[], true], [{}, true], ['a', false], [[0], false], [0, false], [{ a: null }, false], [false, false]];
      for (const [v, expected] of cases) {
        it(`empty ${JSON.stringify(v)} is ${expected}`, () => expect(run('${empty v}', { v })).to.equal(expected));
      }
    });
  });

  describe('property and index access', () => {
    const vars = { order: { id: 'o1', items: [{ sku: 'a', price: 2 }, { sku: 'b', price: 5 }], 'odd key': 1 }, key: 'id', list: [10, 20], nothing: null };

    it('reads a.b, a["b"], a[\'b\'], a[i] and dynamic keys', () => {
      expect(run('${order.id}', vars)).to.equal('o1');
      expect(run('${order["id"]}', vars)).to.equal('o1');
      expect(run("${order['odd key']}", vars)).to.equal(1);
      expect(run('${order.items[1].price}', vars)).to.equal(5);
      expect(run('${order[key]}', vars)).to.equal('o1');
      expect(run("${list['1']}", vars)).to.equal(20);
      expect(run('${list[1.9]}', vars)).to.equal(20);
    });

    it('gives null for missing keys, null bases and out-of-range indexes', () => {
      expect(run('${order.missing}', vars)).to.equal(null);
      expect(run('${order.missing.deeper}', vars)).to.equal(null);
      expect(run('${nothing.x}', vars)).to.equal(null);
      expect(run('${list[5]}', vars)).to.equal(null);
      expect(run('${list[-1]}', vars)).to.equal(null);
      expect(run('${order[nothing]}', vars)).to.equal(null);
    });

    it('sees own properties only', () => {
      expect(run('${order.toString}', vars)).to.equal(null);
      expect(run('${order.hasOwnProperty}', vars)).to.equal(null);
      const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
      expect(run('${bare.a}', { bare })).to.equal(1);
    });

    it('refuses properties of anything but plain objects and arrays', () => {
      fails('${s.length}', 'type', { s: 'abc' });
      fails('${n.x}', 'type', { n: 5 });
      fails('${list.size}', 'type', vars);
      fails('${d.time}', 'type', { d: new Date() });
      class Account {
        balance = 5;
      }
      fails('${a.balance}', 'type', { a: new Account() });
    });
  });

  describe('prototype-pollution and code guards', () => {
    for (const text of ['${o.__proto__}', "${o['__proto__']}", '${o.constructor}', "${o['constructor']}", '${o.prototype}', '${list.constructor}', '${o.__proto__.polluted}']) {
      it(`refuses ${text}`, () => {
        fails(text, 'type', { o: {}, list: [] });
      });
    }

    it('refuses an own __proto__ key such as JSON.parse creates', () => {
      const o: unknown = JSON.parse('{"__proto__": {"x": 1}}');
      fails('${o.__proto__.x}', 'type', { o });
    });

    it('refuses function-valued properties and never runs getters', () => {
      let ran = false;
      const o = {
        f: () => 'secret',
        get g() {
          ran = true;
          return 1;
        },
      };
      expect(fails('${o.f}', 'type', { o }).message).to.equal("Property 'f' is not data");
      fails('${o.g}', 'type', { o });
      fails('${list[0]}', 'type', { list: [() => 1] });
      expect(fails('${o.f()}', 'call', { o }).message).to.match(/not allowed/);
      expect(ran).to.equal(false);
    });
  });

  describe('methods', () => {
    const s = 'Hello World';
    const stringCases: [string, unknown][] = [
      ['${s.length()}', 11],
      ['${s.isEmpty()}', false],
      ["${''.isEmpty()}", true],
      ["${s.contains('World')}", true],
      ["${s.startsWith('Hell')}", true],
      ["${s.endsWith('x')}", false],
      ["${s.equals('Hello World')}", true],
      ["${'5'.equals(5)}", false],
      ["${s.equalsIgnoreCase('hello world')}", true],
      ['${s.equalsIgnoreCase(null)}', false],
      ['${s.toUpperCase()}', 'HELLO WORLD'],
      ['${s.toLowerCase()}', 'hello world'],
      ["${'\t x \n'.trim()}", 'x'],
      ['${s.substring(6)}', 'World'],
      ['${s.substring(0, 5)}', 'Hello'],
      ["${s.indexOf('o')}", 4],
      ["${s.indexOf('z')}", -1],
      ["${s.matches('H.*d')}", true],
      ["${s.matches('World')}", false],
      ["${s.matches('Hello|Hello World')}", true],
    ];
    for (const [text, expected] of stringCases) {
      it(`string: ${text} is ${String(expected)}`, () => expect(run(text, { s })).to.equal(expected));
    }

    const listCases: [string, unknown][] = [
      ['${l.size()}', 3],
      ['${l.isEmpty()}', false],
      ["${l.contains('b')}", true],
      ['${l.contains(2)}', false],
      ['${l.contains(m)}', true],
      ["${l.get(0)}", 'a'],
      ["${l.indexOf('b')}", 1],
      ['${l.indexOf(m)}', 2],
    ];
    for (const [text, expected] of listCases) {
      it(`list: ${text} is ${String(expected)}`, () => expect(run(text, { l: ['a', 'b', { k: 1 }], m: { k: 1 } })).to.equal(expected));
    }

    const mapCases: [string, unknown][] = [
      ['${m.size()}', 2],
      ['${m.isEmpty()}', false],
      ["${m.containsKey('a')}", true],
      ["${m.containsKey('toString')}", false],
      ["${m.get('b')}", 2],
      ["${m.get('zz')}", null],
    ];
    for (const [text, expected] of mapCases) {
      it(`map: ${text} is ${String(expected)}`, () => expect(run(text, { m: { a: 1, b: 2 } })).to.equal(expected));
    }

    it('refuses methods outside the whitelist', () => {
      const vars = { s, l: [1], m: { a: 1 }, n: 5 };
      for (const text of ["${s.replace('a', 'b')}", '${s.constructor()}', '${s.toString()}', '${l.push(2)}', '${l.join()}', '${m.keySet()}', '${m.hasOwnProperty("a")}', '${n.toFixed(2)}', '${b.valueOf()}']) {
        failure(() => run(text, { ...vars, b: true }), 'call');
      }
    });

    it('refuses calls on null, wrong argument counts and out-of-range indexes', () => {
      expect(fails('${x.length()}', 'call', { x: null }).message).to.equal("Cannot call 'length()' on null");
      expect(fails('${s.substring()}', 'call', { s }).message).to.equal("Method 'substring()' takes 1 to 2 argument(s), got 0");
      fails("${s.contains('a', 'b')}", 'call', { s });
      fails('${s.substring(3, 50)}', 'call', { s });
      fails('${l.get(1)}', 'call', { l: [1] });
    });

    it('refuses invalid regular expressions and caps pattern and input sizes', () => {
      fails("${s.matches('(')}", 'call', { s });
      fails("${'abc'.matches('a)|(b')}", 'call');
      fails('${s.matches(p)}', 'limit', { s, p: 'a'.repeat(201) });
      fails("${s.matches('a*')}", 'limit', { s: 'a'.repeat(10_001) });
      expect(run("${s.matches('a*')}", { s: 'a'.repeat(10_000) })).to.equal(true);
    });
  });

  describe('functions', () => {
    it('calls only functions given in ctx.functions', () => {
      const functions = { now: () => 1_700_000_000_000, add: (a: unknown, b: unknown) => Number(a) + Number(b) };
      expect(run('${now() > 0}', {}, { functions })).to.equal(true);
      expect(run('${add(2, n)}', { n: 3 }, { functions })).to.equal(5);
      expect(fails('${nope()}', 'call').message).to.equal("Unknown function 'nope()'");
    });

    it('never reaches Object.prototype or function-valued variables', () => {
      failure(() => run('${toString()}', {}, { functions: {} }), 'call');
      failure(() => run('${f()}', { f: () => 1 }), 'call');
    });

    it('reports a failing function as a call error keeping the cause', () => {
      const cause = new Error('clock broken');
      const error = failure(() => run('${now()}', {}, { functions: { now: () => { throw cause; } } }), 'call');
      expect(error.message).to.equal("Function 'now()' failed: clock broken");
      expect(error.cause).to.equal(cause);
      expect(error.source).to.equal('${now()}');
    });
  });

  describe('execution facade', () => {
    const execution = facade({ amount: 10, note: null });

    it('supports getVariable, hasVariable, getProcessBusinessKey and processBusinessKey', () => {
      expect(run("${execution.getVariable('amount') * 2}", { execution })).to.equal(20);
      expect(run("${execution.getVariable('missing')}", { execution })).to.equal(null);
      expect(run("${execution.hasVariable('note')}", { execution })).to.equal(true);
      expect(run("${execution.hasVariable('other')}", { execution })).to.equal(false);
      expect(run('${execution.getProcessBusinessKey()}', { execution })).to.equal('order-42');
      expect(run('${execution.processBusinessKey}', { execution })).to.equal('order-42');
    });

    it('refuses anything else on the facade', () => {
      failure(() => run("${execution.setVariable('a', 1)}", { execution }), 'call');
      failure(() => run('${execution.getVariable}', { execution }), 'type');
    });

    it('does not treat a look-alike object without the tag as a facade', () => {
      const fake = { getVariable: () => 'leak' };
      failure(() => run("${execution.getVariable('x')}", { execution: fake }), 'call');
    });

    it('lets extra.resolve win over variables, so execution is reserved as in Camunda', () => {
      const extra = { resolve: (name: string) => (name === 'execution' ? { found: true as const, value: execution } : { found: false as const }) };
      expect(run('${execution.processBusinessKey}-${x}', { execution: 'shadow', x: 1 }, extra)).to.equal('order-42-1');
    });
  });

  describe('Camunda examples', () => {
    it('${approved}', () => {
      expect(evaluateCondition(compileTemplate('${approved}'), variablesContext({ approved: true }))).to.equal(true);
    });

    it("${amount > 5000 && type == 'travel'}", () => {
      const t = compileTemplate("${amount > 5000 && type == 'travel'}");
      expect(evaluateCondition(t, variablesContext({ amount: 6000, type: 'travel' }))).to.equal(true);
      expect(evaluateCondition(t, variablesContext({ amount: 6000, type: 'office' }))).to.equal(false);
      expect(evaluateCondition(t, variablesContext({ amount: 100, type: 'travel' }))).to.equal(false);
    });

    it('${!approved}', () => {
      expect(evaluateCondition(compileTemplate('${!approved}'), variablesContext({ approved: false }))).to.equal(true);
    });

    it('${amount >= 1000 and not urgent}', () => {
      const t = compileTemplate('${amount >= 1000 and not urgent}');
      expect(evaluateCondition(t, variablesContext({ amount: 1000, urgent: false }))).to.equal(true);
      expect(evaluateCondition(t, variablesContext({ amount: 1000, urgent: true }))).to.equal(false);
    });

    it('${empty comments}', () => {
      const t = compileTemplate('${empty comments}');
      expect(evaluateCondition(t, variablesContext({ comments: [] }))).to.equal(true);
      expect(evaluateCondition(t, variablesContext({ comments: ['ok'] }))).to.equal(false);
    });

    it("${days > 3 ? 'manager' : 'lead'}", () => {
      const t = compileTemplate("${days > 3 ? 'manager' : 'lead'}");
      expect(t.evaluate(variablesContext({ days: 5 }))).to.equal('manager');
      expect(t.evaluate(variablesContext({ days: 3 }))).to.equal('lead');
    });
  });

  describe('errors', () => {
    it('reports an unknown identifier with its name', () => {
      const error = fails('${amount > 5000 && typ == 1}', 'unknown-identifier', { amount: 6000 });
      expect(error.identifier).to.equal('typ');
      expect(error.message).to.equal("Cannot resolve identifier 'typ'");
      expect(error.source).to.equal('${amount > 5000 && typ == 1}');
    });

    it('puts the template source on evaluation errors', () => {
      expect(fails("x ${'a' + 1}", 'type').source).to.equal("x ${'a' + 1}");
    });

    const syntaxCases: [string, number, string][] = [
      ['${ab && (b || )}', 14, "Unexpected token ')' at 14"],
      ['${}', 2, "Unexpected token '}' at 2"],
      ['Hi ${a} and ${b +}', 17, "Unexpected token '}' at 17"],
      ['text ${a', 5, "Missing '}' for the expression opened at 5"],
      ['${a @ b}', 4, "Unexpected character '@' at 4"],
      ['${a = 1}', 4, "Unexpected character '=' at 4"],
      ['${a.}', 4, "Unexpected token '}' at 4"],
      ['${a.and}', 4, "Unexpected token 'and' at 4"],
      ['${a b}', 4, "Unexpected token 'b' at 4"],
      ['${a ? b}', 7, "Unexpected token '}' at 7"],
      ['${x instanceof y}', 4, "Unexpected token 'instanceof' at 4"],
      ['${f(1,)}', 6, "Unexpected token ')' at 6"],
      ['${(1)(2)}', 5, "Unexpected token '(' at 5"],
      ['${a[1}', 5, "Unexpected token '}' at 5"],
    ];
    for (const [text, position, message] of syntaxCases) {
      it(`rejects ${text} at ${position}`, () => {
        const error = failure(() => compileTemplate(text), 'syntax');
        expect(error.message).to.equal(message);
        expect(error.position).to.equal(position);
        expect(error.source).to.equal(text);
      });
    }
  });

  describe('limits', () => {
    it('refuses sources longer than 4000 characters', () => {
      failure(() => compileTemplate('x'.repeat(4001)), 'limit');
      expect(compileTemplate('x'.repeat(4000)).isLiteral).to.equal(true);
    });

    it('refuses nesting deeper than 64 levels', () => {
      const parens = (n: number) => `\${${'('.repeat(n)}1${')'.repeat(n)}}`;
      expect(run(parens(60))).to.equal(1);
      failure(() => compileTemplate(parens(100)), 'limit');
      failure(() => compileTemplate(`\${${'-'.repeat(100)}1}`), 'limit');
      failure(() => compileTemplate(`\${${'true ? '.repeat(70)}1${' : 0'.repeat(70)}}`), 'limit');
    });

    it('does not count long flat operator chains as nesting', () => {
      expect(run(`\${${Array(1300).fill('1').join('+')}}`)).to.equal(1300);
    });

    it('refuses string results longer than 100,000 characters', () => {
      const big = 'x'.repeat(100_001);
      fails('${s}', 'limit', { s: big });
      fails('a${s}', 'limit', { s: big.slice(1) });
      fails('${s.toUpperCase()}', 'limit', { s: 'ß'.repeat(50_001) });
      expect(run('${s}', { s: big.slice(1) })).to.have.length(100_000);
    });
  });

  describe('identifiers', () => {
    it('lists top-level identifiers only, not properties, methods or functions', () => {
      const t = compileTemplate("${a.b + c[d] + f(e) + 'lit' + x.y.z + s.trim()} and ${false && late}");
      expect([...t.identifiers].sort()).to.deep.equal(['a', 'c', 'd', 'e', 'late', 's', 'x']);
    });

    it('is empty for literal text and keywords', () => {
      expect(compileTemplate('plain $ text').identifiers.size).to.equal(0);
      expect(compileTemplate('${true and not empty null}').identifiers.size).to.equal(0);
    });
  });

  describe('evaluateCondition', () => {
    it('accepts boolean results', () => {
      expect(evaluateCondition(compileTemplate('${a > 1}'), variablesContext({ a: 2 }))).to.equal(true);
      expect(evaluateCondition(compileTemplate('${a > 1}'), variablesContext({ a: 0 }))).to.equal(false);
    });

    it("refuses non-booleans as Camunda does, even the string 'true'", () => {
      const cases: [string, Record<string, unknown>][] = [["${'true'}", {}], ['true', {}], ['${n}', { n: 1 }], ['${n}', { n: null }], ['${a} ', { a: true }]];
      for (const [text, vars] of cases) {
        const error = failure(() => evaluateCondition(compileTemplate(text), variablesContext(vars)), 'type');
        expect(error.message).to.match(/^Condition expression returns (non-Boolean|null)/);
        expect(error.source).to.equal(text);
      }
    });
  });
});
