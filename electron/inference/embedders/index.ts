export type { EmbedderOptions, ImageEmbedder, ImageInput, RawRgbImage, TextEmbedder } from './types.js';
export { VisionEmbedder } from './image-embedders.js';
export { TextEncoderEmbedder } from './text-embedders.js';
export { imageEmbedderFamily, loadImageEmbedder, loadTextEmbedder, textEmbedderFamily } from './load.js';
export { cosine, cosineMatrix, l2Normalize, maskedMeanPool } from './vectors.js';
