import { Chip, sentimentTone } from '../../../components/chip.tsx';
import type { FeatureContribution, Labels } from '../../../lib/wire.types.ts';
import { effectiveLabels } from '../label-corrections.ts';
import type { AppliedCorrection } from '../label-corrections.ts';

const pct = (n: number) => `${Math.round(n * 100)}%`;

function strongest(contributions: FeatureContribution[]): string | undefined {
  if (contributions.length === 0) return undefined;
  return contributions.slice(0, 5).map((c) => `${c.feature} ${c.weight >= 0 ? '+' : ''}${c.weight.toFixed(2)}`).join(', ');
}

function Contributions({ title, items }: { title: string; items: FeatureContribution[] }) {
  if (items.length === 0) return null;
  return (
    <>
      <dt>{title}</dt>
      <dd>
        <ul className="contributions">
          {items.slice(0, 8).map((c) => (
            <li key={c.feature}><code>{c.feature}</code> <span className={c.weight >= 0 ? 'up' : 'down'}>{c.weight >= 0 ? '+' : ''}{c.weight.toFixed(2)}</span></li>
          ))}
        </ul>
      </dd>
    </>
  );
}

interface LabelChipsProps {
  labels: Labels;
  correction?: AppliedCorrection;
  /** Offered when the agent may correct the labels. */
  onCorrect?(): void;
}

/** What the classifier said about one message (or what an agent corrected it to), with the reasons behind it. */
export function LabelChips({ labels, correction, onCorrect }: LabelChipsProps) {
  const shown = effectiveLabels(labels, correction);
  const corrected = (changed: boolean) => (changed ? <span className="corrected" title="corrected by an agent"> ✓ corrected</span> : null);
  const topicSeeds = labels.explanation.topics ?? {};
  return (
    <div className="labels">
      <ul className="chips label-chips" aria-label="Classification">
        <li>
          <Chip tone={shown.complaint ? 'bad' : 'neutral'} title={strongest(labels.explanation.complaint)}>
            {shown.complaint ? 'complaint' : 'not a complaint'}{correction?.complaint === undefined ? ` ${pct(labels.complaintScore)}` : ''}
            {corrected(correction?.complaint !== undefined)}
          </Chip>
        </li>
        <li>
          <Chip tone={sentimentTone(shown.sentiment)} title={strongest(labels.explanation.sentiment)}>
            {shown.sentiment}{corrected(correction?.sentiment !== undefined)}
          </Chip>
        </li>
        <li><Chip tone="info">{shown.intent}{corrected(correction?.intent !== undefined)}</Chip></li>
        {shown.topics.map((topic) => <li key={topic}><Chip title={topicSeeds[topic]?.join(', ')}>{topic}</Chip></li>)}
        {correction?.topics !== undefined && <li>{corrected(true)}</li>}
        <li>
          <Chip tone={labels.urgency >= 0.7 ? 'bad' : labels.urgency >= 0.4 ? 'warn' : 'neutral'} title={labels.urgencySignals.join(', ') || undefined}>
            urgency {pct(labels.urgency)}
          </Chip>
        </li>
      </ul>
      <details className="why">
        <summary>Why these labels?</summary>
        <dl>
          <Contributions title={`Complaint (${pct(labels.complaintScore)})`} items={labels.explanation.complaint} />
          <Contributions title={`Sentiment (${labels.sentiment})`} items={labels.explanation.sentiment} />
          {Object.keys(topicSeeds).length > 0 && (
            <>
              <dt>Topics</dt>
              <dd>{Object.entries(topicSeeds).map(([topic, seeds]) => <div key={topic}>{topic}: {seeds.join(', ')}</div>)}</dd>
            </>
          )}
          {labels.urgencySignals.length > 0 && (<><dt>Urgency</dt><dd>{labels.urgencySignals.join(', ')}</dd></>)}
          <dt>Model</dt>
          <dd>{labels.modelVersion}{labels.lang ? ` · language ${labels.lang}` : ''}</dd>
        </dl>
      </details>
      {onCorrect && <button type="button" className="link-button" onClick={onCorrect}>Correct labels</button>}
    </div>
  );
}
