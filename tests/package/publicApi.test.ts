/**
 * The package's public names, pinned: adding, removing or renaming one is a deliberate change to this list (and
 * to lib/index.ts, which lists them explicitly). Values are read from the module; type-only names from lib/index.ts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');

/** Functions, classes and constants, sorted. */
const PUBLIC_VALUES = [
  'BackendUnavailableError', 'CIFAR10_CLASS_NAMES', 'CheckpointError', 'DATA_SOURCES', 'FASHION_MNIST_CLASS_NAMES',
  'PRESETS', 'Rng', 'SHAPE_CLASS_NAMES', 'SimclrModel', 'SimclrTrainer', 'StatefulOptimizer',
  'TrainingDivergedError', 'TrainingPlanError', 'WORKBOOK_SCALE_NAMES', 'accuracyStandardError',
  'accuracyVsLabelsPerClass', 'alignment', 'applyStandardizer', 'applyView', 'architecture', 'barChart', 'batches',
  'buildModel', 'colorJitter', 'combineCallbacks', 'comparePaired', 'confusionMatrixChart', 'contrastiveAccuracy',
  'cosineLogits', 'createOptimizer', 'createSimclrModel', 'datasetFingerprint', 'decodeNpy', 'defaultViewPipeline',
  'describe', 'describeRunSize', 'displaySymbol', 'embedFunction', 'embedViewPairs', 'encodeNpy', 'extractFeatures',
  'fakeData', 'fashionMnistCpuPreset', 'fashionMnistViews', 'fitConfigToData', 'fitLogisticRegression',
  'fitStandardizer', 'formatBackendReport', 'formatPairedComparison', 'formatSeedSummary', 'heatmap', 'heldOutPairMetrics', 'imageGridPng', 'imagesToTensor',
  'infoNCE', 'initBackend', 'initializeWeights', 'jsonlMetrics', 'knnClassify', 'knnPredict', 'l2NormalizeRows',
  'labelCounts', 'learningRateAt', 'limit', 'lineChart', 'linearProbe', 'liveLossCurves', 'loadCifar10',
  'loadDataSource', 'loadDefaultDataset', 'loadFashionMnist', 'loadImageFolder', 'loadModelFromCheckpoint',
  'lossLandmarks', 'makeConfig', 'mcnemarExact', 'multiLineChart', 'nearestNeighbors', 'neighborAgreement',
  'normalizeImages', 'ntXent', 'numBatches', 'onlineKnnEvaluator', 'pairMetrics', 'pca2d', 'probeEncoder',
  'probeRawPixels', 'progressBar', 'projectionHead', 'randomGaussianBlur', 'randomGrayscale', 'randomHorizontalFlip',
  'randomResizedCrop', 'rawPixelFeatures', 'readTrainerCheckpoint', 'resnet18Encoder', 'resnet18GpuPreset',
  'resnet18Model', 'resolveViewPipeline', 'retrievalRows', 'scaledLearningRate', 'scatterByLabel', 'seedEncoder',
  'seedModel', 'seedPreset', 'seedViews', 'shapesDataset', 'show', 'showLive', 'showTable', 'shuffled',
  'simclrCifarViews', 'similarityHeatmap', 'simplexLoss', 'smallCnnEncoder', 'smallCnnModel', 'standardizeTrainTest',
  'subset', 'summarizePredictions', 'summarizeSeeds', 'temperatureProfile', 'tensorGridPng', 'toMimeBundle', 'trainCached',
  'trainSupervised', 'trainTestSplit', 'tunedLinearProbe', 'twoViews', 'uniformity', 'workbookConfig',
  'workbookScale', 'writeNpy',
];

/** Interfaces and type aliases (`export type { … }` in lib/index.ts), sorted. */
const PUBLIC_TYPES = [
  'AccuracyScope', 'AlignmentOptions', 'ArchitectureName', 'BackendName', 'BackendOptions', 'BackendReport',
  'BarChartOptions', 'BarSeries', 'Batch', 'BatchOptions', 'CachedRun', 'CachedRunOptions', 'Cifar10Options',
  'ClassificationSummary', 'ColorJitterOptions', 'ConfusionMatrixOptions', 'ContrastiveAccuracyOptions',
  'DataSource', 'DataSourceOptions', 'DefaultDataset', 'DefaultDatasetOptions', 'Downsample', 'EmbedFunction',
  'EmbedOptions', 'Embedding', 'EncoderName', 'EpochLog', 'ExtractFeaturesOptions', 'FakeDataOptions',
  'FashionMnistOptions', 'FeatureMatrix', 'GaussianBlurOptions', 'HeadKind', 'HeatmapOptions', 'ImageDataset',
  'ImageFolderDataset', 'ImageFolderOptions', 'ImageGridOptions', 'InfoNCEOptions', 'InitializeOptions',
  'JupyterDisplayable', 'KnnOptions', 'KnnPrediction', 'KnnResult', 'LabelBudgetOptions', 'LabelBudgetResult',
  'LabeledImages', 'LandmarkLoss', 'LearningRateScaling', 'LineChartOptions', 'LineSeries', 'LinearProbeOptions',
  'LinearProbeResult', 'LiveFigure', 'LiveFigureOptions', 'LiveLossCurves', 'LiveLossCurvesOptions',
  'LogisticRegressionModel', 'LogisticRegressionOptions', 'LossLandmarks', 'MimeBundle', 'ModelConfig',
  'NTXentOptions', 'NeighborAgreement', 'NeighborResult', 'NormalizeOptions', 'OnlineKnnOptions', 'OptimizerOptions',
  'PairMetrics', 'PairedComparison', 'PairedComparisonOptions', 'Pca2d', 'Pca2dOptions', 'PlotlyFigure',
  'PresetName', 'PresetOptions', 'ProbeEncoderOptions', 'ProbeReport', 'ProjectionHeadOptions',
  'RandomResizedCropOptions', 'Resnet18EncoderOptions', 'Resnet18ModelOptions', 'RetrievalRows', 'RngState',
  'RunSize', 'ScatterByLabelOptions', 'ScheduleKind', 'ScheduleOptions', 'SeedEncoderOptions', 'SeedSummary', 'ShapesOptions',
  'ShowOptions', 'Showable', 'SimclrParts', 'SkippedBackend', 'SkippedFile', 'SmallCnnEncoderOptions',
  'Standardizer', 'StepLog', 'SupervisedEpoch', 'SupervisedOptions', 'TemperatureProfile', 'TrainCallbacks',
  'TrainConfig', 'TrainResult', 'TrainTestSplit', 'TrainTestSplitOptions', 'TrainerOptions', 'TrainerSnapshot',
  'TunedProbeOptions', 'TunedProbeResult', 'UniformityOptions', 'ViewPairOptions', 'ViewPairs', 'ViewPipeline',
  'ViewPipelineOptions', 'WorkbookScale', 'WorkbookScaleName',
];

/** The names in `export type { … }` blocks of lib/index.ts. */
function typeExports(): string[] {
  const source = fs.readFileSync(path.join(ROOT, 'lib/index.ts'), 'utf8');
  return [...source.matchAll(/export type \{([^}]*)\}/g)].flatMap((m) => m[1].split(',').map((s) => s.trim()).filter(Boolean)).sort();
}

/** Every name a notebook imports from 'simclr-workbench' (its `import { … } from 'simclr-workbench'` cells). */
function notebookImports(): Map<string, string[]> {
  const used = new Map<string, string[]>();
  const dir = path.join(ROOT, 'notebooks');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb'))) {
    const cells = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')).cells as { cell_type: string; source: string[] | string }[];
    for (const cell of cells.filter((c) => c.cell_type === 'code')) {
      const code = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
      for (const m of code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'simclr-workbench'/g)) {
        for (const name of m[1].split(',').map((s) => s.trim().split(/\s+as\s+/)[0].replace(/^type\s+/, '')).filter(Boolean)) {
          used.set(name, [...(used.get(name) ?? []), file]);
        }
      }
    }
  }
  return used;
}

const Api = suite('the public API');

Api('lib/index.ts exports exactly the pinned values', () => {
  const api = require('../../lib/index');
  assert.equal(Object.keys(api).sort(), PUBLIC_VALUES);
});

Api('lib/index.ts exports exactly the pinned types', () => {
  assert.equal(typeExports(), PUBLIC_TYPES);
});

Api('lib/index.ts names every export (no export *)', () => {
  assert.not.match(fs.readFileSync(path.join(ROOT, 'lib/index.ts'), 'utf8'), /export \*/);
});

Api('every name a notebook imports is public', () => {
  const used = notebookImports();
  assert.ok(used.size > 20, `found only ${used.size} imported names: the notebook scan is broken`);
  const missing = [...used].filter(([name]) => !PUBLIC_VALUES.includes(name) && !PUBLIC_TYPES.includes(name)).map(([name, files]) => `${name} (${files.join(', ')})`);
  assert.equal(missing, []);
});

Api('internals stay internal: validators, the CLI, probe matmul helpers, checkpoint plumbing', () => {
  for (const name of ['validateConfig', 'validateTemperature', 'withDefaults', 'cliMain', 'UsageError', 'linearScores', 'writeCheckpoint', 'setModelWeights']) {
    assert.not.ok(PUBLIC_VALUES.includes(name), name);
  }
});

Api.run();
