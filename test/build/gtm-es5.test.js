/**
 * The ES5 build of the drop-in (dist/kustomer-chat-gtm.es5.min.js, the GTM container's Custom HTML tag) is ES5
 * syntax, and what lowering to ES5 costs stays bounded: its gzip size is reported beside the drop-in's and may be
 * at most 1.3x it (1.22x when this was written: TypeScript's iteration helpers and the loops they expand to).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';
import { DROP_IN_FILE, ES5_DROP_IN_FILE, gzipBytes } from '../../scripts/build-gtm-container.js';

const kB = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;

describe('the ES5 build of the drop-in', () => {
  it('parses with an ES5-only parser, where the drop-in does not', () => {
    const es5 = (file) => () => parse(readFileSync(file, 'utf8'), { ecmaVersion: 5, sourceType: 'script' });
    expect(es5(ES5_DROP_IN_FILE)).not.toThrow();
    expect(es5(DROP_IN_FILE)).toThrow();
  });

  it('weighs at most 1.3x the drop-in, gzip', () => {
    const dropIn = gzipBytes(DROP_IN_FILE);
    const lowered = gzipBytes(ES5_DROP_IN_FILE);
    const figures = `drop-in ${kB(dropIn)} gzip, ES5 build ${kB(lowered)} gzip (${(lowered / dropIn).toFixed(2)}x)`;
    console.log(figures);
    expect(dropIn).toBeGreaterThan(1000);
    expect(lowered / dropIn, figures).toBeLessThanOrEqual(1.3);
  });
});
