// ESLint flat config: typescript-eslint's recommended rules without type information, so a run
// takes seconds; type errors are the job of `npm run typecheck` (tsc --noEmit).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['build/', 'cdk.out/', 'coverage/', '**/node_modules/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // `const { dropped: _dropped, ...rest } = x` is how the code leaves a field out of a copy;
      // tsc's noUnusedLocals accepts it too.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // Matching control characters is the point of the validators that use them (JSON strings,
      // Java's regex semantics in the VTL layer).
      'no-control-regex': 'off',
      // A local declaration file for an untyped package (postman/newman.d.ts) is referenced by path.
      '@typescript-eslint/triple-slash-reference': ['error', { path: 'always', types: 'prefer-import', lib: 'always' }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests walk synthesized CloudFormation and OpenAPI JSON of no fixed shape.
      '@typescript-eslint/no-explicit-any': 'off',
      // Regexes over YAML read better with its indentation written out.
      'no-regex-spaces': 'off',
    },
  },
  {
    // Loads velocityjs's internal parser by a computed path: no export of the package reaches it.
    files: ['local/vtl/velocityjs-adapter.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // CommonJS by necessity: a worker thread's entry registers tsx with require() before anything
    // TypeScript can load, and Jest loads its test sequencer with require().
    files: ['local/gateway/offload/worker-entry.js', 'jest.sequencer.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
