import { ExternalLink } from './external-link.tsx';

// Only http(s) URLs become links; anything else (javascript:, data:) stays plain text.
const urlPattern = /\bhttps?:\/\/[^\s<>"']+/gi;
const trailingPunctuation = /[.,;:!?)\]}]+$/;

/**
 * A customer's words, rendered as React text nodes (never as HTML), with bare http(s) URLs made into safe links.
 */
export function PostText({ text }: { text: string }) {
  const parts: (string | { url: string })[] = [];
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    const start = match.index;
    const url = match[0].replace(trailingPunctuation, '');
    if (start > last) parts.push(text.slice(last, start));
    parts.push({ url });
    last = start + url.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return (
    <p className="post-text">
      {parts.map((part, i) => (typeof part === 'string' ? part : <ExternalLink key={i} href={part.url}>{part.url}</ExternalLink>))}
    </p>
  );
}
