import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { loadComplaints, loadTweetEvalSentiment, resolveSharedDataDir } from '../../features/classification/datasets.loader.ts';
import { renderEvaluationMarkdown, summarizeEvaluation } from '../../features/classification/evaluation.report.ts';
import { evaluateModels } from '../../features/classification/evaluation.runner.ts';
import { defaultModelDir, loadModels } from '../../features/classification/model.store.ts';

interface EvalFlags {
  sharedData?: string;
  models?: string;
  write?: string | false;
  peers?: boolean;
}

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('evaluate the models (complaints: 10-fold CV; sentiment: TweetEval val) and write docs/EVALUATION.md')
    .option('--shared-data <dir>', 'shared data directory (env PARLEY_SHARED_DATA, default ../shared/data)')
    .option('--models <dir>', 'model directory', defaultModelDir)
    .option('--write <file>', 'where to write the report', 'docs/EVALUATION.md')
    .option('--no-write', 'print only')
    .option('--no-peers', 'skip the peer libraries (vader-sentiment, sentiment/AFINN, natural); natural alone takes a minute or two')
    .action((flags: EvalFlags) => {
      const dataDir = flags.sharedData ?? resolveSharedDataDir();
      const loadStart = performance.now();
      const models = loadModels(flags.models ?? defaultModelDir);
      const loadMs = performance.now() - loadStart;
      const report = evaluateModels({
        models,
        complaints: loadComplaints(dataDir),
        sentimentVal: loadTweetEvalSentiment('val', dataDir),
        sentimentTrain: loadTweetEvalSentiment('train', dataDir),
        peers: flags.peers !== false,
        loadMs,
      });
      const line = summarizeEvaluation(report);
      console.log(`models ${report.modelVersion} (loaded in ${loadMs.toFixed(0)} ms)`);
      console.log(`complaints, 10-fold CV, all ${report.complaint.all.size}: macro-F1 ${line.complaintMacroF1}, AUC ${report.complaint.all.auc.toFixed(3)}`);
      console.log(`complaints, 10-fold CV, 9 brand domains ${report.complaint.brandOnly.size}: macro-F1 ${line.complaintBrandMacroF1}, AUC ${report.complaint.brandOnly.auc.toFixed(3)}`);
      console.log(`sentiment, TweetEval val ${report.sentiment.size}: macro-recall ${line.sentimentMacroRecall}, macro-F1 ${line.sentimentMacroF1}, accuracy ${line.sentimentAccuracy}`);
      console.log(`throughput, all heads, one thread: ${line.msgsPerSec} msgs/s wall, ${line.msgsPerCpuSec} msgs per CPU-second`);
      for (const [name, peer] of Object.entries(line.peers)) console.log(`peer ${name}: ${JSON.stringify(peer)}`);
      if (flags.write !== false) {
        const file = path.resolve(flags.write ?? 'docs/EVALUATION.md');
        writeFileSync(file, renderEvaluationMarkdown(report));
        console.log(`wrote ${path.relative(process.cwd(), file)}`);
      }
      console.log(JSON.stringify({ bench: 'eval', ...line }));
    });
}
