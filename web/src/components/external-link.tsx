import type { ReactNode } from 'react';

/** Links found in customers' posts: never trusted with the opener, the referrer or our ranking. */
export function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  );
}
