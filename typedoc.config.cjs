/**
 * TypeDoc (`npm run docs:api`): the API reference, from the JSDoc of each import path in entry-points.cjs.
 * @type {import('typedoc').TypeDocOptions}
 */
module.exports = {
  name: 'kustomer-chat-analytics',
  entryPoints: require('./entry-points.cjs').ENTRY_POINTS.map((entry) => entry.source),
  tsconfig: 'tsconfig.json',
  out: 'api-reference',
  readme: 'none',
  excludePrivate: true,
  excludeInternal: true,
  validation: {
    notExported: true,
    invalidLink: true,
    notDocumented: true,
  },
  requiredToBeDocumented: ['Function', 'Variable', 'Interface', 'TypeAlias', 'Enum', 'Class'],
  treatWarningsAsErrors: true,
  githubPages: false,
  intentionallyNotExported: ['LiveChatOptions', 'SdkSource'],
};
