import type { ReactNode } from 'react';

export type ChipTone = 'neutral' | 'good' | 'warn' | 'bad' | 'info';

export function Chip({ tone = 'neutral', title, children }: { tone?: ChipTone; title?: string; children: ReactNode }) {
  return (
    <span className={`chip chip-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function sentimentTone(sentiment: string | null): ChipTone {
  switch (sentiment) {
    case 'negative':
      return 'bad';
    case 'positive':
      return 'good';
    default:
      return 'neutral';
  }
}
