/**
 * An ESLint rule that keeps each part of the project to what it may import.
 * Every layer (a folder) lists the project folders it may reach, the npm
 * packages and the Node built-ins it may use; anything else is an error naming
 * the layer and the import. The table lives in eslint.config.js; a test
 * (test/unit/boundaries.test.ts) lints a forbidden import per boundary.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILTINS = new Set(builtinModules);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What a specifier points at: a project file, a Node built-in or a package. */
function classify(specifier, fromFile) {
  if (specifier.startsWith('.')) return { kind: 'project', target: path.relative(ROOT, path.resolve(path.dirname(fromFile), specifier)).split(path.sep).join('/') };
  const bare = specifier.replace(/^node:/, '');
  if (specifier.startsWith('node:') || BUILTINS.has(bare.split('/')[0])) return { kind: 'node', target: bare.split('/')[0] };
  const parts = specifier.split('/');
  return { kind: 'package', target: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] };
}

const allows = (list, target) => list === '*' || list.some((entry) => (entry.endsWith('/') ? target.startsWith(entry) : target === entry));

export default {
  rules: {
    layers: {
      meta: {
        type: 'problem',
        docs: { description: 'each folder imports only what its layer may' },
        schema: [{ type: 'array' }],
        messages: { forbidden: '{{layer}} may not import "{{specifier}}" ({{why}})' },
      },
      create(context) {
        const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
        const layer = (context.options[0] ?? []).find((l) => l.files.some((prefix) => file.startsWith(prefix)));
        if (!layer) return {};
        const check = (node, specifier) => {
          if (typeof specifier !== 'string') return;
          const { kind, target } = classify(specifier, context.filename);
          const list = kind === 'project' ? layer.project : kind === 'node' ? layer.node : layer.packages;
          if (allows(list, target)) return;
          const why = kind === 'project' ? `only ${layer.project.join(', ')}` : kind === 'node' ? (layer.node.length ? `Node built-ins: only ${layer.node.join(', ')}` : 'no Node built-ins') : `packages: only ${layer.packages.join(', ')}`;
          context.report({ node, messageId: 'forbidden', data: { layer: layer.name, specifier, why } });
        };
        return {
          ImportDeclaration: (node) => check(node, node.source.value),
          ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
          ExportAllDeclaration: (node) => check(node, node.source.value),
          ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
        };
      },
    },
  },
};
