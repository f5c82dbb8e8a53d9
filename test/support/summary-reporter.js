/**
 * Ends the test output with the plain line CI reads: `N passed, N failed` (`, N skipped` when any).
 * A test file that fails to load, and any unhandled error, count as failures.
 *
 * It also keeps the working tree clean: a run that changes a file git tracks, or leaves a new file git does not
 * ignore, counts as one more failure and names the files (a report belongs in reports/, which git ignores; the
 * committed docs are rewritten only by `npm run docs:reports`). Files already changed before the run are compared
 * by content, so work in progress does not fail the run, but a test writing over it does. The one file a run may
 * write is the one it was asked to: RELIABILITY_REPORT (`npm run docs:reliability`).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Each file `git status` lists (changed or untracked, not ignored), with a hash of its content; undefined without git. */
function workingTree(root) {
  let status;
  try {
    status = execFileSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
  const files = new Map();
  const entries = status.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!entry) continue;
    // A rename or copy is followed by its original path, which is not listed on its own.
    if (/^[RC]/.test(entry)) i++;
    const file = entry.slice(3);
    let content = 'deleted';
    try {
      content = createHash('sha1').update(readFileSync(path.join(root, file))).digest('hex');
    } catch {
      /* deleted, or a directory git lists as a submodule */
    }
    files.set(file, content);
  }
  return files;
}

export default class SummaryReporter {
  onInit(vitest) {
    this.root = vitest.config.root;
    this.treeBefore = workingTree(this.root);
  }

  onTestRunEnd(testModules, unhandledErrors = []) {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A file that fails to load, or whose hooks fail, is a failure even when its tests passed.
      if (testModule.errors().length) failed++;
    }
    const treeAfter = this.treeBefore && workingTree(this.root);
    const asked = process.env.RELIABILITY_REPORT && path.relative(this.root, path.resolve(this.root, process.env.RELIABILITY_REPORT));
    const dirtied = treeAfter
      ? [...treeAfter].filter(([file, content]) => file !== asked && this.treeBefore.get(file) !== content).map(([file]) => file)
      : [];
    if (dirtied.length) {
      failed++;
      process.exitCode = 1;
      process.stdout.write(
        `\nThe test run changed the working tree (write reports to reports/, which git ignores):\n${dirtied.map((file) => `  ${file}`).join('\n')}\n`,
      );
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
