import { warmFrames } from './demand';
import { getProductClassifier } from './text';

/**
 * Pays the analytics' one-off costs before the first request: loading danfojs-node (~1.3 s,
 * it pulls TensorFlow.js) and training the text classifier from the shipped corpus (~1 s).
 */
export function warmAnalytics(): void {
  warmFrames();
  getProductClassifier();
}
