/** The demo world's public surface: scenes, captions, rendering, the judge and the dataset writer. */
export { CAPTIONS_PER_IMAGE, captionScene } from './captions.js';
export { DEFAULT_COUNTS, demoImage, GENERATOR_VERSION, SPLITS, type Split, splitOfScene, writeDemoDataset, writeDemoSplit } from './dataset.js';
export { detectObjects, type DetectedObject, type Judgement, judgeScene } from './judge.js';
export { describeScene } from './noun-phrases.js';
export * from './palette.js';
export { encodePng, renderScene } from './render.js';
export { generateScene, mainObject, type Scene, type SceneObject, sceneKey } from './scene.js';
