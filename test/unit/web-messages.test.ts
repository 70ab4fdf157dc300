/**
 * Every visible string of the web pages comes from a message catalog: no
 * Chinese in the pages' code outside designer/src/i18n (a line that compares
 * data, not text, says so with "not shown"), and every area's English catalog
 * has the Chinese one's keys and no others.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve('designer/src');
const CJK = /[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]/;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

/** The code of a file without its comments (line and block), line by line. */
function codeLines(source: string): string[] {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .split('\n')
    .map((line) => (line.includes('not shown') ? '' : line.replace(/(^|[^:'"`])\/\/.*$/, '$1')));
}

describe('web pages: messages from the catalogs', () => {
  it('has no Chinese text in the pages’ code outside the catalogs', () => {
    const found: string[] = [];
    for (const file of files(SRC).filter((f) => !f.includes(`${path.sep}i18n${path.sep}`))) {
      codeLines(fs.readFileSync(file, 'utf8')).forEach((line, i) => CJK.test(line) && found.push(`${path.relative(SRC, file)}:${i + 1}: ${line.trim()}`));
    }
    expect(found).to.deep.equal([]);
  });

  it('the check bites: a component with a Chinese label is found', () => {
    expect(codeLines("const a = <Button>提交</Button>; // 注释\n/* 说明 */").filter((l) => CJK.test(l))).to.have.length(1);
  });

  it('gives every area the same keys in Chinese and English', async () => {
    for (const area of ['common', 'workbench', 'admin', 'forms']) {
      const zh = Object.values(await import(`../../designer/src/i18n/${area}.zh-CN.ts`))[0] as Record<string, string>;
      const en = Object.values(await import(`../../designer/src/i18n/${area}.en.ts`))[0] as Record<string, string>;
      expect(Object.keys(en).sort(), area).to.deep.equal(Object.keys(zh).sort());
      // Where Chinese is the content itself: the language switch, a plate number's example.
      const untranslated = Object.keys(en).filter((k) => CJK.test(en[k]!) && !['shell.switchLanguage', 'form.placeholder.plate'].includes(k));
      expect(untranslated, `${area}: English messages with Chinese in them`).to.deep.equal([]);
    }
  });
});
