import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeModel, encodeModel } from './model.codec.ts';
import type { TrainedModels } from './trained.classifier.ts';

/** The committed models: `models/` at the repository root, wherever the process was started. */
export const defaultModelDir = fileURLToPath(new URL('../../../models/', import.meta.url));

export const modelFiles = { complaint: 'complaint.model.bin', sentiment: 'sentiment.model.bin' } as const;

export function modelsExist(dir = defaultModelDir): boolean {
  return existsSync(path.join(dir, modelFiles.complaint)) && existsSync(path.join(dir, modelFiles.sentiment));
}

export function loadModels(dir = defaultModelDir): TrainedModels {
  return {
    complaint: decodeModel(readFileSync(path.join(dir, modelFiles.complaint))),
    sentiment: decodeModel(readFileSync(path.join(dir, modelFiles.sentiment))),
  };
}

/** Writes both model files and a manifest (versions, data digests, how to regenerate). */
export function saveModels(models: TrainedModels, dir: string, manifest: Record<string, unknown>): string[] {
  mkdirSync(dir, { recursive: true });
  const written = [path.join(dir, modelFiles.complaint), path.join(dir, modelFiles.sentiment), path.join(dir, 'manifest.json')];
  writeFileSync(written[0], encodeModel(models.complaint));
  writeFileSync(written[1], encodeModel(models.sentiment));
  const body = {
    complaint: { file: modelFiles.complaint, version: models.complaint.version, info: models.complaint.info, calibration: models.complaint.calibration },
    sentiment: { file: modelFiles.sentiment, version: models.sentiment.version, info: models.sentiment.info },
    ...manifest,
  };
  writeFileSync(written[2], `${JSON.stringify(body, null, 2)}\n`);
  return written;
}
