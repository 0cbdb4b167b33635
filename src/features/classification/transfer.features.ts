import type { FeatureVector } from './feature.extractor.ts';
import { featureSeeds, finalizeHash, hashString } from './feature.hash.ts';
import type { LinearModel } from './linear.model.ts';
import { computeMargins, softmaxInPlace } from './linear.model.ts';

// The complaint head reads the sentiment head's probabilities as three extra features. The sentiment model learned
// from 45,615 tweets what 3,449 complaint tweets cannot teach alone (the ACL 2019 paper also found sentiment
// features among the most useful for complaints).
export const transferFeatureNames = ['transfer:negative', 'transfer:neutral', 'transfer:positive'] as const;
const transferOriginBase = 5 * 2 ** 27;

export function transferIndices(buckets: number): number[] {
  return transferFeatureNames.map((name) => finalizeHash(hashString(name, featureSeeds.meta)) & (buckets - 1));
}

/** Appends `weight × P(class)` for each sentiment class to the vector (in place). */
export function appendTransferFeatures(vector: FeatureVector, probabilities: ArrayLike<number>, indices: readonly number[], weight: number): void {
  if (vector.length + indices.length > vector.indices.length) {
    throw new Error('feature vector has no room for transfer features');
  }
  for (let k = 0; k < indices.length; k += 1) {
    const n = vector.length;
    vector.indices[n] = indices[k];
    vector.values[n] = probabilities[k] * weight;
    vector.origins[n] = transferOriginBase + k;
    vector.length = n + 1;
  }
}

/** The sentiment probabilities of an already extracted vector. */
export function sentimentProbabilities(model: LinearModel, vector: FeatureVector, out: Float64Array): Float64Array {
  return softmaxInPlace(computeMargins(model, vector, out), model.outputs);
}
