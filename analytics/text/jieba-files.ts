/** jieba's dictionary and IDF files (~11 MB), read only when first needed: by the segmenter, and by name detection (its person names). */
export const jiebaFiles = (): typeof import('@node-rs/jieba/dict') => require('@node-rs/jieba/dict');
