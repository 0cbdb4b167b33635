import { Chip, sentimentTone } from '../../../components/chip.tsx';
import type { Labels } from '../../../lib/wire.types.ts';

const pct = (n: number) => `${Math.round(n * 100)}%`;

function explain(contributions: Labels['explanation']['complaint']): string | undefined {
  if (contributions.length === 0) return undefined;
  return contributions.slice(0, 5).map((c) => `${c.feature} ${c.weight >= 0 ? '+' : ''}${c.weight.toFixed(2)}`).join(', ');
}

/** What the classifier said about one message, with its strongest reasons on hover. */
export function LabelChips({ labels }: { labels: Labels }) {
  return (
    <ul className="chips label-chips" aria-label="Classification">
      <li>
        <Chip tone={labels.complaint ? 'bad' : 'neutral'} title={explain(labels.explanation.complaint)}>
          {labels.complaint ? 'complaint' : 'not a complaint'} {pct(labels.complaintScore)}
        </Chip>
      </li>
      <li><Chip tone={sentimentTone(labels.sentiment)} title={explain(labels.explanation.sentiment)}>{labels.sentiment}</Chip></li>
      <li><Chip tone="info">{labels.intent}</Chip></li>
      {labels.topics.map((topic) => <li key={topic}><Chip>{topic}</Chip></li>)}
      <li>
        <Chip tone={labels.urgency >= 0.7 ? 'bad' : labels.urgency >= 0.4 ? 'warn' : 'neutral'} title={labels.urgencySignals.join(', ') || undefined}>
          urgency {pct(labels.urgency)}
        </Chip>
      </li>
    </ul>
  );
}
