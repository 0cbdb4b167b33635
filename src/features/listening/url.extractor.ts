/** Links written in a post's text: `http(s)://…` and `www.…`, without trailing punctuation. */
export function extractUrls(text: string): string[] {
  if (!text.includes('://') && !/www\./i.test(text)) return [];
  const found: string[] = [];
  for (const m of text.matchAll(/(?:https?:\/\/|\bwww\.)[^\s<>"'()[\]{}]+/giu)) {
    found.push(m[0].replace(/[.,;:!?…]+$/u, ''));
  }
  return found;
}

/** Host (lower case, without `www.`) and path (lower case, without trailing `/`) of a URL; null when it has no host. */
export function parsePostUrl(url: string): { host: string; path: string } | null {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^/?#@\s]*@)?([^/?#:\s]+)(?::\d+)?(\/[^?#\s]*)?/i.exec(url.trim());
  if (!m) return null;
  const host = m[1].toLowerCase().replace(/^www\./, '').replace(/\.$/, '');
  if (host.length === 0) return null;
  return { host, path: (m[2] ?? '').toLowerCase().replace(/\/+$/, '') };
}
