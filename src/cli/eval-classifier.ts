import { runClassifierEvaluation } from '../modules/text/classifier-eval';
import { runCli } from './run-cli';

// npm run eval:classifier -- [--data FILE] [--folds K] [--seed N]
runCli(async () => runClassifierEvaluation(process.argv.slice(2)));
