import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { loadComplaints, loadTweetEvalSentiment, resolveSharedDataDir } from '../../features/classification/datasets.loader.ts';
import type { EvaluationReport } from '../../features/classification/evaluation.runner.ts';
import { evaluateComplaints, evaluateSentiment } from '../../features/classification/evaluation.runner.ts';
import { parseFeedbackJsonl } from '../../features/classification/feedback.schema.ts';
import type { Correction } from '../../features/classification/feedback.schema.ts';
import { defaultModelDir, loadModels, modelsExist, saveModels } from '../../features/classification/model.store.ts';
import { createClassifier } from '../../features/classification/trained.classifier.ts';
import type { TrainedModels } from '../../features/classification/trained.classifier.ts';
import { trainingSettings, trainModels } from '../../features/classification/training.pipeline.ts';

interface TrainFlags {
  sharedData?: string;
  out?: string;
  withFeedback?: string;
}

const pct = (x: number) => Number((x * 100).toFixed(1));

/** How the models label the corrections themselves: the share they get right (higher after retraining). */
function feedbackAgreement(models: TrainedModels, corrections: readonly Correction[]): { complaint: number | null; sentiment: number | null } {
  const classifier = createClassifier({ models });
  const share = (key: 'complaint' | 'sentiment') => {
    const relevant = corrections.filter((c) => c[key] !== undefined);
    if (relevant.length === 0) return null;
    return pct(relevant.filter((c) => classifier.classify(c.text)[key] === c[key]).length / relevant.length);
  };
  return { complaint: share('complaint'), sentiment: share('sentiment') };
}

function summary(models: TrainedModels, complaint: EvaluationReport['complaint'], sentimentRecall: number, corrections: readonly Correction[]) {
  return {
    complaintMacroF1: pct(complaint.all.macroF1),
    complaintBrandMacroF1: pct(complaint.brandOnly.macroF1),
    complaintAuc: Number(complaint.all.auc.toFixed(3)),
    sentimentMacroRecall: pct(sentimentRecall),
    feedbackAgreement: feedbackAgreement(models, corrections),
  };
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('train the complaint and sentiment models from ../shared/data and write them to models/')
    .option('--shared-data <dir>', 'shared data directory (env PARLEY_SHARED_DATA, default ../shared/data)')
    .option('--out <dir>', 'where to write the model files', defaultModelDir)
    .option('--with-feedback <file>', 'JSONL of agent corrections to train on as well; prints evaluation before and after')
    .action((flags: TrainFlags) => {
      const dataDir = flags.sharedData ?? resolveSharedDataDir();
      const outDir = path.resolve(flags.out ?? defaultModelDir);
      const started = performance.now();
      const complaints = loadComplaints(dataDir);
      const sentimentTrain = loadTweetEvalSentiment('train', dataDir);
      let corrections: Correction[] = [];
      if (flags.withFeedback) {
        const parsed = parseFeedbackJsonl(readFileSync(flags.withFeedback, 'utf8'));
        for (const error of parsed.errors) console.error(`feedback line ${error.line}: ${error.message} (skipped)`);
        corrections = parsed.corrections;
        console.error(`feedback: ${corrections.length} corrections`);
      }

      const sentimentVal = loadTweetEvalSentiment('val', dataDir);
      const complaintExamples = complaints.map((c) => ({ text: c.text, label: c.complaint }));
      let before: ReturnType<typeof summary> | null = null;
      if (flags.withFeedback && modelsExist(outDir)) {
        const current = loadModels(outDir);
        console.error('evaluating the current models…');
        before = summary(current, evaluateComplaints(current, complaints), evaluateSentiment(current.sentiment, sentimentVal).macroRecall, corrections);
      }

      console.error('training…');
      const models = trainModels({ complaints: complaintExamples, sentimentTrain: sentimentTrain.map((e) => ({ text: e.text, label: e.sentiment })), corrections });
      const trainSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
      const written = saveModels(models, outDir, {
        regenerate: flags.withFeedback ? `npm run --silent parley -- train --with-feedback ${flags.withFeedback}` : 'npm run --silent parley -- train',
        settings: trainingSettings,
      });
      for (const file of written) console.error(`wrote ${path.relative(process.cwd(), file)}`);

      const result: Record<string, unknown> = { train: 'ok', complaint: models.complaint.version, sentiment: models.sentiment.version, trainSeconds };
      if (flags.withFeedback) {
        console.error('evaluating the retrained models…');
        const after = summary(models, evaluateComplaints(models, complaints, corrections), evaluateSentiment(models.sentiment, sentimentVal).macroRecall, corrections);
        console.log('metric                      before   after');
        for (const key of ['complaintMacroF1', 'complaintBrandMacroF1', 'complaintAuc', 'sentimentMacroRecall'] as const) {
          console.log(`${key.padEnd(28)}${String(before?.[key] ?? '-').padStart(6)}  ${String(after[key]).padStart(6)}`);
        }
        console.log(`${'feedback complaint agree %'.padEnd(28)}${String(before?.feedbackAgreement.complaint ?? '-').padStart(6)}  ${String(after.feedbackAgreement.complaint ?? '-').padStart(6)}`);
        console.log(`${'feedback sentiment agree %'.padEnd(28)}${String(before?.feedbackAgreement.sentiment ?? '-').padStart(6)}  ${String(after.feedbackAgreement.sentiment ?? '-').padStart(6)}`);
        result.before = before;
        result.after = after;
      }
      console.log(JSON.stringify(result));
    });
}
