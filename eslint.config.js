import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from './scripts/lint/boundaries.js';

/** What the pure libraries may use: computation, no I/O. */
const PURE_NODE = ['crypto', 'zlib'];

/**
 * Who may import what (scripts/lint/boundaries.js). The core, the forms library
 * and the definitions' code are pure: no I/O packages, no Node built-ins but
 * crypto and zlib, no adapters, configuration or server. Connectors see only
 * the connector port. The HTTP layer reaches neither store nor queue. The web
 * front end shares only the forms library with the server.
 */
export const LAYERS = [
  {
    name: 'engine/core',
    files: ['engine/core/'],
    project: ['engine/core/', 'forms/', 'definitions/bpmn/', 'definitions/catalog/', 'definitions/approval/'],
    packages: ['bpmn-engine', 'bpmn-elements', 'bpmn-moddle', 'camunda-bpmn-moddle', 'moddle-context-serializer', 'ajv', 'ajv-formats', '@0dep/piso', 'pinyin-pro'],
    node: PURE_NODE,
  },
  { name: 'forms', files: ['forms/'], project: ['forms/'], packages: ['ajv', 'ajv-formats'], node: PURE_NODE },
  { name: 'definitions', files: ['definitions/'], project: ['definitions/', 'forms/'], packages: ['bpmn-moddle', 'camunda-bpmn-moddle', '@0dep/piso', 'pinyin-pro'], node: PURE_NODE },
  { name: 'connectors', files: ['connectors/'], project: ['connectors/', 'engine/core/connectors/port.ts', 'forms/formats/'], packages: '*', node: '*' },
  {
    // The front door only: the use cases by area (core/api), people (org), connectors and the audit trail, and the
    // shared vocabulary (records, errors, ports, permissions).
    name: 'engine/http',
    files: ['engine/http/'],
    project: [
      'engine/http/',
      'engine/core/api/',
      'engine/core/org/',
      'engine/core/connectors/facade.ts',
      'engine/core/connectors/port.ts',
      'engine/core/audit.ts',
      'engine/core/errors.ts',
      'engine/core/model.ts',
      'engine/core/ports.ts',
      'engine/core/permissions.ts',
      'engine/core/calendar/due-state.ts',
      'forms/',
    ],
    packages: '*',
    node: '*',
  },
  { name: 'designer', files: ['designer/'], project: ['designer/', 'forms/'], packages: '*', node: [] },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'designer/dist/', 'designer/dist-server/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.name='eval']", message: 'never eval' }],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { boundaries },
    rules: { 'boundaries/layers': ['error', LAYERS] },
  },
);
