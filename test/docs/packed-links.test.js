/**
 * The Markdown files npm packs are read where the repository is not: in node_modules, on npmjs.com. A relative
 * link in them must point at a file of the tarball; a link to a file only the repository has goes to GitHub, and
 * that file must exist in the repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/docs-tables.js';

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const github = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
const repoPrefixes = [`${github}/blob/main/`, `${github.replace('https://github.com/', 'https://raw.githubusercontent.com/')}/main/`];

/** Every link and image target of a Markdown text, with the line it is on. */
function links(text) {
  return text.split('\n').flatMap((line, i) => [...line.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => ({ href: m[1], line: i + 1 })));
}

/** Links of the packed .md files whose target is not in `files`; repository links whose file git does not track. */
function brokenLinks(files, read, tracked) {
  const packed = new Set(files);
  const broken = [];
  for (const file of files.filter((f) => f.endsWith('.md'))) {
    for (const { href, line } of links(read(file))) {
      const where = `${file}:${line}: ${href}`;
      const repoPrefix = repoPrefixes.find((prefix) => href.startsWith(prefix));
      if (repoPrefix) {
        if (!tracked.has(href.slice(repoPrefix.length).split('#')[0])) broken.push(`${where} (not in the repository)`);
        continue;
      }
      if (/^[a-z][\w+.-]*:/i.test(href) || href.startsWith('#')) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(href.split('#')[0])));
      if (!packed.has(target)) broken.push(`${where} (not in the tarball)`);
    }
  }
  return broken;
}

describe('links in the packed docs', () => {
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8' }));
  const files = pack.files.map((f) => f.path);
  const read = (file) => readFileSync(path.join(repoRoot, file), 'utf8');
  const tracked = new Set(spawnSync('git', ['ls-files'], { cwd: repoRoot, encoding: 'utf8' }).stdout.split('\n').filter(Boolean));

  it('point at files of the tarball, or at files of the repository on GitHub', () => {
    expect(files.filter((f) => f.endsWith('.md')).length).toBeGreaterThan(10);
    expect(brokenLinks(files, read, tracked)).toEqual([]);
  });

  it('a planted link to a file left out of the tarball, or missing from the repository, is reported', () => {
    const planted = {
      'docs/ga4.md': `${read('docs/ga4.md')}\nSee [the source](../plugins/shared/ga4.ts) and [gone](${repoPrefixes[0]}core/no-such-file.ts).\n`,
    };
    const lines = planted['docs/ga4.md'].split('\n').length - 1;
    expect(brokenLinks(files, (file) => planted[file] ?? read(file), tracked)).toEqual([
      `docs/ga4.md:${lines}: ../plugins/shared/ga4.ts (not in the tarball)`,
      `docs/ga4.md:${lines}: ${repoPrefixes[0]}core/no-such-file.ts (not in the repository)`,
    ]);
  });
});
