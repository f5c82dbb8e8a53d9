// docs/schema.md is the schema reference people read instead of core/schema.ts: these tests read both (the
// TypeScript through the compiler API, not a regex) and fail when the doc drifts from the types.
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const source = ts.createSourceFile('schema.ts', readFileSync(new URL('core/schema.ts', root), 'utf8'), ts.ScriptTarget.Latest, true);
const doc = readFileSync(new URL('docs/schema.md', root), 'utf8');

function declaration<T extends ts.Node>(predicate: (node: ts.Node) => node is T, name: string): T {
  const found = source.statements.find((node) => predicate(node) && (node as unknown as { name?: ts.Identifier }).name?.text === name);
  if (!found) throw new Error(`core/schema.ts declares no ${name}`);
  return found as unknown as T;
}

/** The ChatEvent interface: name, type as written, and whether it is always set. */
function chatEventFields() {
  return declaration(ts.isInterfaceDeclaration, 'ChatEvent').members.filter(ts.isPropertySignature).map((member) => ({
    name: member.name.getText(source),
    type: member.type!.getText(source).replace(/\s+/g, ' '),
    required: !member.questionToken,
  }));
}

function actionLabels(): Record<string, string> {
  const statement = source.statements.filter(ts.isVariableStatement).find((s) => s.declarationList.declarations[0].name.getText(source) === 'ACTION_LABELS');
  const init = statement!.declarationList.declarations[0].initializer!;
  const object = ts.isAsExpression(init) ? init.expression : init;
  if (!ts.isObjectLiteralExpression(object)) throw new Error('ACTION_LABELS is not an object literal');
  return Object.fromEntries(
    object.properties.filter(ts.isPropertyAssignment).map((p) => [p.name.getText(source), (p.initializer as ts.StringLiteral).text]),
  );
}

function unionMembers(name: string): string[] {
  const alias = declaration(ts.isTypeAliasDeclaration, name);
  if (!ts.isUnionTypeNode(alias.type)) throw new Error(`${name} is not a union`);
  return alias.type.types.map((t) => (t as ts.LiteralTypeNode).literal.getText(source).slice(1, -1));
}

/** Rows of the table under a `## heading` of the doc, each row's cells with backticks removed. */
function table(heading: string): string[][] {
  const section = doc.split(/^## /m).find((part) => part.startsWith(`${heading}\n`));
  if (!section) throw new Error(`docs/schema.md has no "## ${heading}" section`);
  return section
    .split('\n')
    .filter((line) => /^\|\s*`/.test(line))
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim().replace(/^`|`$/g, '')));
}

describe('docs/schema.md', () => {
  it('lists every ChatEvent field, and no other, with its type and whether it is always set', () => {
    const fields = chatEventFields();
    expect(fields.length).toBeGreaterThan(5);
    const rows = table('Fields').map(([name, type, always]) => ({ name, type, required: always === 'yes' }));
    expect(rows).toEqual(fields);
  });

  it('lists every action with its chat_Action label, in the order of ACTION_LABELS', () => {
    const labels = actionLabels();
    expect(Object.keys(labels)).toContain('proactive_trigger');
    expect(table('Actions').map(([action, label]) => [action, label])).toEqual(Object.entries(labels));
    // The ChatAction union and the labels object are the same list.
    expect(unionMembers('ChatAction')).toEqual(Object.keys(labels));
  });

  it('lists every origin', () => {
    expect(table('Origins').map(([origin]) => origin)).toEqual(unionMembers('ChatEventOrigin'));
  });
});

describe('docs/mapping.md', () => {
  it('names each action as the dataLayer, Segment, RudderStack and GA4 destinations do', async () => {
    const { LIVE_CHAT_EVENT_NAMES } = await import('../../plugins/shared/live-chat-spec');
    const { GA4_EVENT_NAMES } = await import('../../plugins/shared/ga4');
    const mapping = readFileSync(new URL('docs/mapping.md', root), 'utf8');
    const section = mapping.split(/^## /m).find((part) => part.startsWith('2. '))!;
    const rows = section
      .split('\n')
      .filter((line) => /^\|\s*`/.test(line))
      .slice(0, Object.keys(actionLabels()).length)
      .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim().replace(/^`|`$/g, '')));
    const labels = actionLabels();
    expect(rows).toEqual(
      Object.keys(labels).map((action) => [
        action,
        labels[action],
        LIVE_CHAT_EVENT_NAMES[action as keyof typeof LIVE_CHAT_EVENT_NAMES],
        GA4_EVENT_NAMES[action as keyof typeof GA4_EVENT_NAMES],
      ]),
    );
  });
});
