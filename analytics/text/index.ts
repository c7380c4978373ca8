/**
 * Free-text analytics (Chinese): segmentation, keywords, the category classifier and its
 * evaluation. Reached from `src/` through analytics/index.ts only.
 */
export { segment, contentTerms } from './segment';
export { MIN_AUTHORS_PER_TERM, scrubPersonalData } from './privacy';
export { extractKeywords, topKeywords, type AuthoredText, type TermWeight } from './keywords';
export {
  PRODUCT_MODEL, classifyText, getProductClassifier, rankLabels, trainTextClassifier,
  type CategoryScore, type ClassifyOptions, type TextClassification, type TrainedTextClassifier,
} from './classifier';
export { crossValidate, applyKeywordRules, type CrossValidationReport, type CrossValidationOptions, type KeywordRules, type LabelledExample } from './evaluate';
export { scoreClassification, stratifiedFolds, type ClassificationScores, type ClassScore } from './metrics';
export { TRAINING_CORPUS, type LabelledText } from './data/corpus';
export { TEDDY_KEYWORD_RULES } from './data/teddy-rules';
// The name-after-a-cue rule free-text masking (src/common/privacy.ts) shares with the scrubbing here.
export { CHAINED_NAME_PASSES, chainedNamePattern, nameAfterCuePattern } from './data/name-cues';
// The digit forms other than ASCII free-text masking (src/common/privacy.ts) masks numbers in, as the scrubbing here cuts them.
export { CHINESE_DIGIT_FORMS, CIRCLED_STYLES, LIST_MARKER_STYLES, MIN_NUMERAL_RUN, NUMBER_GROUP_MARKS, NUMBER_JOINERS, NUMBER_SPACES, NUMERAL_WORD, OTHER_DIGIT_FORMS, OWN_STYLE_DIGIT_STYLES } from './data/numerals';
