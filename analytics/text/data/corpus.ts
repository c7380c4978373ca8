import { GRID_CORPUS } from './corpus-grid';
import { WINDOW_CORPUS } from './corpus-window';

export interface LabelledText {
  /** A second-level request category code (GRID-FIRE, HOUSING-LIGHTS, …). */
  label: string;
  text: string;
}

/**
 * The shipped training corpus of the product classifier: resident messages written for this
 * project, labelled with the second-level codes of the request-category catalogue that the
 * closed_loop and service_data migrations load (13 kinds of grid work, all 38 one-window entries under 7 categories).
 */
export const TRAINING_CORPUS: readonly LabelledText[] = [GRID_CORPUS, WINDOW_CORPUS].flatMap((byLabel) =>
  Object.entries(byLabel).flatMap(([label, texts]) => texts.map((text) => ({ label, text }))),
);
