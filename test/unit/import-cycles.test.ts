/**
 * No import cycles anywhere in the code (what `madge --circular` reports),
 * counting type-only imports too: layers import one way only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FOLDERS = ['engine', 'forms', 'definitions', 'connectors', 'migrations', 'scripts'];
const SPECIFIER = /(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Each file's project imports. */
function graph(): Map<string, string[]> {
  const files = FOLDERS.flatMap((f) => sources(path.join(ROOT, f)));
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const targets = [...text.matchAll(SPECIFIER)].map((m) => path.resolve(path.dirname(file), (m[1] ?? m[2])!)).filter((t) => t.endsWith('.ts') && fs.existsSync(t));
    edges.set(file, targets);
  }
  return edges;
}

/** The cycles found by a depth-first walk (each reported once, as the path around it). */
function cycles(edges: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next].map((f) => path.relative(ROOT, f)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of edges.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe('imports', () => {
  it('form no cycles', () => {
    const edges = graph();
    expect(edges.size).to.be.above(150);
    expect(cycles(edges).map((c) => c.join(' > '))).to.deep.equal([]);
  });

  it('would find one (the detector bites)', () => {
    const a = path.join(ROOT, 'a.ts');
    const b = path.join(ROOT, 'b.ts');
    expect(cycles(new Map([[a, [b]], [b, [a]]]))).to.deep.equal([['a.ts', 'b.ts', 'a.ts']]);
  });
});
