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
  // Given, so that a clone without a GitHub remote (CI's, a fork's) builds the same links without a warning.
  sourceLinkTemplate: 'https://github.com/kustomer-chat-analytics/kustomer-chat-analytics/blob/{gitRevision}/{path}#L{line}',
  intentionallyNotExported: ['LiveChatOptions', 'SdkSource'],
};
