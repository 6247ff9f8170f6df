/**
 * The document shown in the HTML preview panel. The generated page is untrusted (it comes from a
 * model reading an arbitrary image), so it is shown with scripts off (the panel's
 * `enableScripts: false`) and under a CSP that allows only inline styles and `data:` images and
 * fonts: no network, no frames, no forms, no `<base>` redirect, nothing from the extension.
 */

export const PREVIEW_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'";

/**
 * Puts the CSP `<meta>` first in the document, before any element of the generated page (a CSP
 * meta only governs what follows it), right after a leading doctype so standards mode is kept.
 * `<meta http-equiv="refresh">`, which no CSP stops, is neutralised. A CSP the page declares
 * itself can only narrow ours further: browsers enforce every policy present.
 */
export function previewDocument(generatedHtml: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${PREVIEW_CSP}">`;
  const page = generatedHtml.replace(/<meta\b[^>]*http-equiv\s*=\s*["']?\s*refresh[^>]*>/gi, '<!-- meta refresh removed by Moonpilot -->');
  const doctype = /^\s*(<!doctype[^>]*>)/i.exec(page);
  if (doctype) {
    return `${doctype[1]}${meta}${page.slice(doctype[0].length)}`;
  }
  return `<!DOCTYPE html>${meta}${page}`;
}
