/** Says, in words, when evaluation rows were seen by a fitted step (one placed before the split). */
import type { Dataset } from '../../data/types';

/** One warning line when a step of the chain was fitted on all rows and `partition` is not the training rows; else none. */
export function leakWarnings(dataset: Dataset, partition: 'train' | 'validation' | 'test'): string[] {
  if (partition === 'train') return [];
  const leaky = dataset.transforms.filter((t) => t.fittedOn === 'all');
  if (leaky.length === 0) return [];
  const steps = leaky.map((t) => (t.nodeId ? `${t.kind} (node “${t.nodeId}”)` : t.kind)).join(', ');
  const one = leaky.length === 1;
  return [
    `These ${partition} rows were seen by ${one ? 'a fitted step' : 'fitted steps'} placed before the split — ${steps} — ${one ? 'its' : 'their'} statistics include them, so these scores are optimistic. Put Split before ${one ? 'it' : 'them'} and run again.`,
  ];
}
