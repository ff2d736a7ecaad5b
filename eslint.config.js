// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'api/public/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Every promise and every Meilisearch task is awaited: a floating one hides failures.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  // Layers point down: core/ at the bottom, then store/ and meili/, then the stages (crawler/,
  // indexer/, api/), then workflow/ (crawl, then index) and each process's main.ts. A stage never
  // imports another stage: what two stages share gets its own module below both.
  ...layer('core', ['store', 'meili', 'crawler', 'indexer', 'api', 'workflow']),
  ...layer('store', ['meili', 'crawler', 'indexer', 'api', 'workflow']),
  ...layer('meili', ['store', 'crawler', 'indexer', 'api', 'workflow']),
  ...layer('crawler', ['meili', 'indexer', 'api', 'workflow']),
  ...layer('indexer', ['crawler', 'api', 'workflow']),
  ...layer('api', ['crawler', 'workflow']),
  ...layer('workflow', ['api']),
  // A process's main.ts builds the real dependencies and hands them down (the API's URL inspector
  // and scope preview are the crawler's): it may import any layer.
  { files: ['**/main.ts', '**/*-main.ts'], rules: { 'no-restricted-imports': 'off' } },
  // Browser code (the page's script, the widget) is bundled for browsers: nothing of the server's,
  // only the few pure modules of core/ it shares (checked by the widget's size test too).
  ...layer('browser', ['store', 'meili', 'crawler', 'indexer', 'api', 'workflow']),
);

/** Files under `folder` may not import from the `forbidden` top-level folders. */
function layer(folder, forbidden) {
  return [
    {
      files: [`${folder}/**/*.ts`, `${folder}/**/*.tsx`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                regex: `^(\\.\\./)+(${forbidden.join('|')})/`,
                message: `${folder}/ is below these modules: it must not import them (see eslint.config.js).`,
              },
            ],
          },
        ],
      },
    },
  ];
}
