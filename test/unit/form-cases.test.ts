/**
 * Fixture pairs {form, data, errors} for every field type and rule: each file of
 * test/fixtures/forms/cases/ holds one form and its cases; each case is
 * validated in zh-CN (and in English when it lists `errorsEn`), and the issues
 * must be exactly the expected {pointer, message} pairs, in any order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { FormCompiler, type CompilerOptions, type ValidationMode } from '../../forms/compile.ts';
import type { FieldIssue, FormDefinition, Locale } from '../../forms/model.ts';

const CASES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/forms/cases');

interface ExpectedIssue {
  pointer: string;
  message: string;
}

interface FormCase {
  name: string;
  mode?: ValidationMode;
  data: unknown;
  errors: ExpectedIssue[];
  errorsEn?: ExpectedIssue[];
  computed?: Record<string, unknown>;
}

interface LintCase {
  name: string;
  form: FormDefinition;
  lintProblems: string[];
}

interface FixtureFile {
  description: string;
  form?: FormDefinition;
  dictionaries?: Record<string, string[]>;
  /** The form must fail lint with exactly these pointers (its cases are then empty). */
  lintProblems?: string[];
  cases?: FormCase[];
  /** Further definitions that must fail lint, each with its own pointers. */
  lintCases?: LintCase[];
}

function loadFixtures(): Array<{ file: string; fixture: FixtureFile }> {
  return fs
    .readdirSync(CASES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => ({ file, fixture: JSON.parse(fs.readFileSync(path.join(CASES_DIR, file), 'utf8')) as FixtureFile }));
}

function dictionarySource(dictionaries: Record<string, string[]> = {}): CompilerOptions['dictionaries'] {
  return {
    exists: (key) => Object.hasOwn(dictionaries, key),
    has: (key, value) => (Object.hasOwn(dictionaries, key) ? (dictionaries[key] ?? []).includes(value) : undefined),
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sorted(issues: readonly ExpectedIssue[]): ExpectedIssue[] {
  return issues.map(({ pointer, message }) => ({ pointer, message })).sort((a, b) => compare(a.pointer, b.pointer) || compare(a.message, b.message));
}

function describeIssues(issues: readonly FieldIssue[]): string {
  return JSON.stringify(issues.map(({ pointer, rule, message }) => ({ pointer, rule, message })), null, 1);
}

const fixtures = loadFixtures();

describe('form cases (test/fixtures/forms/cases)', () => {
  it('finds the fixture files, each with a description and a form or lint cases', () => {
    expect(fixtures.length).to.be.greaterThan(0);
    for (const { file, fixture } of fixtures) {
      expect(fixture.description, file).to.be.a('string').and.not.equal('');
      expect(fixture.form ?? fixture.lintCases, file).to.not.equal(undefined);
      const names = (fixture.cases ?? []).map((c) => c.name);
      expect(new Set(names).size, `${file}: case names are unique`).to.equal(names.length);
    }
  });

  it('every fixture form passes lint, unless its file lists the lint problems', () => {
    for (const { file, fixture } of fixtures) {
      if (!fixture.form) continue;
      const problems = new FormCompiler({ dictionaries: dictionarySource(fixture.dictionaries) }).lint(fixture.form);
      const pointers = problems.map((p) => p.pointer).sort(compare);
      expect(pointers, `${file}: ${JSON.stringify(problems)}`).to.deep.equal([...(fixture.lintProblems ?? [])].sort(compare));
    }
  });

  for (const { file, fixture } of fixtures) {
    describe(file, () => {
      const compiler = new FormCompiler({ dictionaries: dictionarySource(fixture.dictionaries) });

      for (const lintCase of fixture.lintCases ?? []) {
        it(`lint: ${lintCase.name}`, () => {
          const problems = compiler.lint(lintCase.form);
          expect(problems.map((p) => p.pointer).sort(compare), JSON.stringify(problems)).to.deep.equal([...lintCase.lintProblems].sort(compare));
          for (const p of problems) {
            expect(p.message['zh-CN'], p.pointer).to.be.a('string').and.not.equal('');
            expect(p.message.en, p.pointer).to.be.a('string').and.not.equal('');
          }
        });
      }

      const cases = fixture.cases ?? [];
      if (!fixture.form || fixture.lintProblems?.length) {
        if (cases.length) it('has no cases, as its form does not lint', () => expect(cases).to.deep.equal([]));
        return;
      }
      const form = compiler.compile(fixture.form, 1);

      for (const c of cases) {
        it(c.name, () => {
          const mode = c.mode ?? 'submit';
          const expectations: Array<[Locale, ExpectedIssue[]]> = [['zh-CN', c.errors]];
          if (c.errorsEn) expectations.push(['en', c.errorsEn]);
          for (const [locale, expected] of expectations) {
            const outcome = form.validate(c.data, { mode, locale });
            const context = `${mode}, ${locale}: ${describeIssues(outcome.issues)}`;
            expect(sorted(outcome.issues), context).to.deep.equal(sorted(expected));
            expect(outcome.valid, context).to.equal(expected.length === 0);
            if (c.computed) expect(outcome.data, `${context}\ndata: ${JSON.stringify(outcome.data)}`).to.deep.include(c.computed);
          }
        });
      }
    });
  }
});
