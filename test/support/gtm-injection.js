/**
 * Runs a GTM Custom HTML tag the way a published GTM container does, for tests in jsdom and in Chromium.
 *
 * - Variables: in a script, GTM does not paste a variable's value but replaces `{{Name}}` with a call that returns
 *   it when the script runs, `google_tag_manager["GTM-XXXX"].macro(n)`, one n per variable
 *   (https://www.simoahava.com/gtm-tips/mysterious-macro-call-custom-html-tags/).
 * - Injection: GTM parses the tag's HTML and re-creates each <script> as a new element, copying only `id`, the
 *   text, `charset` (and `src` from `data-gtmsrc`); every other attribute, `type` and `data-*` included, is lost.
 *   The re-created script is appended to <body> and runs there (/work/shared/SDK-NOTES.md, "GTM Custom HTML").
 */
export const PUBLIC_ID = 'GTM-TEST123';

/**
 * The tag's HTML as GTM serves it: each `{{Name}}` replaced by a macro call, and the values the calls return.
 * `values` maps a variable's name to its value; a reference to a variable not given throws.
 */
export function compileTag(html, values) {
  const macros = [null];
  const compiled = html.replace(/\{\{([^}]+)\}\}/g, (_, name) => {
    if (!(name in values)) throw new Error(`the tag refers to {{${name}}}, which is not defined`);
    macros.push(values[name]);
    return `google_tag_manager[${JSON.stringify(PUBLIC_ID)}].macro(${macros.length - 1})`;
  });
  return { html: compiled, macros, publicId: PUBLIC_ID };
}

/**
 * Fires a compiled tag in `win` as GTM does. Self-contained (no closure), so that a test can also pass it to
 * playwright's page.evaluate, where `win` is the page's window.
 * @param {{ html: string, macros: unknown[], publicId: string }} tag what compileTag returns
 * @param {Window} [win] a browser's or jsdom's window
 */
export function injectTag({ html, macros, publicId }, win = window) {
  const doc = win.document;
  win.google_tag_manager = win.google_tag_manager || {};
  win.google_tag_manager[publicId] = { macro: (n) => macros[n] };
  const holder = doc.createElement('div');
  holder.innerHTML = html; // scripts parsed this way are inert
  const scripts = Array.from(holder.querySelectorAll('script'));
  for (const inert of scripts) {
    const script = doc.createElement('script');
    if (inert.id) script.id = inert.id;
    if (inert.charset) script.charset = inert.charset;
    if (inert.getAttribute('data-gtmsrc')) script.src = inert.getAttribute('data-gtmsrc');
    script.text = inert.text;
    doc.body.appendChild(script);
  }
  return scripts.length;
}
