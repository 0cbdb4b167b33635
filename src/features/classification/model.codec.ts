import { z } from 'zod';
import type { LinearModel } from './linear.model.ts';

// File layout: "PRLYMDL1", u32 header length, UTF-8 JSON header, zero padding to 4 bytes, then the weights as int16
// with one scale per model. int16 keeps a 2^18-bucket, 3-class model at 1.5 MB with no measurable loss (the step is
// 1/32767 of the largest weight), and a deterministic trainer then yields byte-identical files.
const magic = 'PRLYMDL1';

const headerSchema = z.object({
  name: z.string(),
  version: z.string(),
  classes: z.array(z.string()).min(2),
  outputs: z.number().int().positive(),
  features: z.object({
    buckets: z.number().int().positive(),
    charMin: z.number().int().positive(),
    charMax: z.number().int().positive(),
    charWeight: z.number(),
    metaWeight: z.number(),
    maxChars: z.number().int().positive(),
    // Generation-1 files predate the setting: their n-grams cross token boundaries.
    charScope: z.enum(['word', 'text']).default('text'),
  }),
  bias: z.array(z.number()),
  calibration: z.object({ a: z.number(), b: z.number() }).nullable(),
  info: z.record(z.string(), z.unknown()),
  scale: z.number().positive(),
});

export function encodeModel(model: LinearModel): Buffer {
  let maxAbs = 0;
  for (const w of model.weights) maxAbs = Math.max(maxAbs, Math.abs(w));
  const scale = maxAbs > 0 ? maxAbs / 32767 : 1;
  const header = Buffer.from(JSON.stringify({
    name: model.name, version: model.version, classes: model.classes, outputs: model.outputs, features: model.features,
    bias: Array.from(model.bias), calibration: model.calibration, info: model.info, scale,
  }), 'utf8');
  const headerEnd = 12 + header.length;
  const weightsStart = Math.ceil(headerEnd / 4) * 4;
  const out = Buffer.alloc(weightsStart + model.weights.length * 2);
  out.write(magic, 0, 'latin1');
  out.writeUInt32LE(header.length, 8);
  header.copy(out, 12);
  for (let i = 0; i < model.weights.length; i += 1) out.writeInt16LE(Math.round(model.weights[i] / scale), weightsStart + i * 2);
  return out;
}

export function decodeModel(bytes: Buffer): LinearModel {
  if (bytes.length < 12 || bytes.toString('latin1', 0, 8) !== magic) throw new Error('not a Parley model file');
  const headerLength = bytes.readUInt32LE(8);
  const header = headerSchema.parse(JSON.parse(bytes.toString('utf8', 12, 12 + headerLength)));
  const weightsStart = Math.ceil((12 + headerLength) / 4) * 4;
  const count = header.features.buckets * header.outputs;
  if (bytes.length !== weightsStart + count * 2) throw new Error(`model ${header.name}: expected ${count} weights`);
  const weights = new Float32Array(count);
  for (let i = 0; i < count; i += 1) weights[i] = bytes.readInt16LE(weightsStart + i * 2) * header.scale;
  return {
    name: header.name, version: header.version, classes: header.classes, outputs: header.outputs, features: header.features,
    weights, bias: Float32Array.from(header.bias), calibration: header.calibration, info: header.info,
  };
}
