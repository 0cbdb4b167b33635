import type { ChannelHealth } from '../lib/wire.types.ts';
import { Chip } from './chip.tsx';
import type { ChipTone } from './chip.tsx';

const tones: Record<ChannelHealth, ChipTone> = { connected: 'good', idle: 'neutral', lagging: 'warn', failing: 'bad' };

export function HealthBadge({ health }: { health: ChannelHealth }) {
  return <Chip tone={tones[health]}><span className="visually-hidden">Health: </span>{health}</Chip>;
}
