/**
 * The code checks, run here because CI runs only `npm test`: ESLint, Prettier on the files it covers so far, the
 * type check of the library and of the tests, and knip (no unused file, export or dependency). Each test runs the
 * package.json script a developer runs and fails with its output.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/e2e-page.js';

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
// The machine has 2 cores shared with the browser tests: allow for a slow type check.
const TIMEOUT_MS = 180_000;

/** Runs `npm run <script>`; the test fails with the script's whole output when it exits non-zero. */
function npmRun(script) {
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: repoRoot, encoding: 'utf8', timeout: TIMEOUT_MS });
  const output = `$ npm run ${script}  (${pkg.scripts[script]})\n${result.stdout}\n${result.stderr}`;
  expect(result.error, output).toBeUndefined();
  expect(result.status, output).toBe(0);
  return output;
}

describe('code checks', () => {
  it('npm run lint: ESLint with typescript-eslint finds nothing, warnings included', { timeout: TIMEOUT_MS }, () => {
    expect(pkg.scripts.lint).toMatch(/^eslint\b/);
    npmRun('lint');
    // The rules are on: library code with an unused variable and a console call is refused.
    const bad = 'const unused: number = 1;\nconsole.log("chat");\n';
    const eslint = path.join(repoRoot, 'node_modules/.bin/eslint');
    const result = spawnSync(eslint, ['--stdin', '--stdin-filename', 'core/example.ts', '--format', 'json'], {
      cwd: repoRoot,
      input: bad,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(1);
    const [{ messages }] = JSON.parse(result.stdout);
    expect(messages.map((message) => message.ruleId).sort()).toEqual(['@typescript-eslint/no-unused-vars', 'no-console']);
  });

  it('npm run format:check: Prettier finds every file it covers formatted', { timeout: TIMEOUT_MS }, () => {
    expect(pkg.scripts['format:check']).toMatch(/^prettier --check /);
    npmRun('format:check');
  });

  it('npm run typecheck: the library alone, then the library with every .ts test', { timeout: TIMEOUT_MS }, () => {
    expect(pkg.scripts.typecheck).toBe('tsc -p tsconfig.json && tsc -p tsconfig.test.json');
    npmRun('typecheck');
  });

  it('npm run knip: no unused file, export or dependency', { timeout: TIMEOUT_MS }, () => {
    expect(pkg.scripts.knip).toBe('knip');
    npmRun('knip');
  });
});

describe('the layout', () => {
  it('the demo and the benchmark import nothing from test/: what they share with the tests is in support/', () => {
    const offending = [];
    for (const dir of ['demo', 'bench', 'support']) {
      for (const file of readdirSync(path.join(repoRoot, dir)).filter((name) => name.endsWith('.js'))) {
        const text = readFileSync(path.join(repoRoot, dir, file), 'utf8');
        // Node imports ('../test/...') and the browser's ('/test/...').
        for (const [statement] of text.matchAll(/\bimport\b[^'"`;]*['"][^'"]*\btest\/[^'"]*['"]/g)) offending.push(`${dir}/${file}: ${statement}`);
      }
    }
    expect(offending).toEqual([]);
    expect(readFileSync(path.join(repoRoot, 'demo/app.js'), 'utf8')).toContain("from '/support/kustomer-stand-in.js'");
  });
});
