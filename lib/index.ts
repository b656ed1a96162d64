/**
 * The public API of simclr-workbench, by name: what the notebooks, the README, the CLI's users and scripts use.
 * Everything else in lib/ (validators, kernels, checkpoint plumbing, the CLI's own parsing) is internal and may
 * change. tests/package/publicApi.test.ts pins this list, so a change to it is deliberate. Grouped by layer.
 */

// ── core: random numbers, backend ──
export { Rng } from './rng';
export type { RngState } from './rng';
export { BackendUnavailableError, formatBackendReport, initBackend } from './backend';
export type { BackendName, BackendOptions, BackendReport, SkippedBackend } from './backend';

// ── data ──
export {
  CIFAR10_CLASS_NAMES, DATA_SOURCES, FASHION_MNIST_CLASS_NAMES, SHAPE_CLASS_NAMES, batches, datasetFingerprint, decodeNpy, describe,
  encodeNpy, fakeData, imagesToTensor, labelCounts, limit, loadCifar10, loadDataSource, loadDefaultDataset, loadFashionMnist,
  loadImageFolder, numBatches, shapesDataset, shuffled, subset, trainTestSplit, writeNpy,
} from './data';
export type {
  Batch, BatchOptions, Cifar10Options, DataSource, DataSourceOptions, DefaultDataset, DefaultDatasetOptions, FakeDataOptions,
  FashionMnistOptions, ImageDataset, ImageFolderDataset, ImageFolderOptions, ShapesOptions, SkippedFile, TrainTestSplit,
  TrainTestSplitOptions,
} from './data';

// ── views ──
export {
  applyView, colorJitter, defaultViewPipeline, fashionMnistViews, normalizeImages, randomGaussianBlur, randomGrayscale,
  randomHorizontalFlip, randomResizedCrop, resolveViewPipeline, seedViews, simclrCifarViews, twoViews,
} from './views';
export type { ColorJitterOptions, GaussianBlurOptions, NormalizeOptions, RandomResizedCropOptions, ViewPipeline, ViewPipelineOptions } from './views';

// ── losses ──
export { alignment, contrastiveAccuracy, cosineLogits, infoNCE, l2NormalizeRows, ntXent, uniformity } from './losses';
export type { AccuracyScope, AlignmentOptions, ContrastiveAccuracyOptions, InfoNCEOptions, NTXentOptions, UniformityOptions } from './losses';

// ── models ──
export {
  SimclrModel, architecture, buildModel, createSimclrModel, initializeWeights, projectionHead, resnet18Encoder, resnet18Model, seedEncoder,
  seedModel, smallCnnEncoder, smallCnnModel,
} from './models';
export type {
  ArchitectureName, Downsample, EmbedOptions, Embedding, EncoderName, HeadKind, InitializeOptions, ModelConfig, PresetOptions,
  ProjectionHeadOptions, Resnet18EncoderOptions, Resnet18ModelOptions, SeedEncoderOptions, SimclrParts, SmallCnnEncoderOptions,
} from './models';

// ── train ──
export {
  CheckpointError, PRESETS, SimclrTrainer, StatefulOptimizer, TrainingDivergedError, TrainingPlanError, combineCallbacks, createOptimizer,
  fashionMnistCpuPreset, fitConfigToData, jsonlMetrics, learningRateAt, loadModelFromCheckpoint, makeConfig, progressBar,
  readTrainerCheckpoint, resnet18GpuPreset, scaledLearningRate, seedPreset, trainSupervised,
} from './train';
export type {
  EpochLog, LearningRateScaling, OptimizerOptions, PresetName, ScheduleKind, ScheduleOptions, StepLog, SupervisedEpoch, SupervisedOptions,
  TrainCallbacks, TrainConfig, TrainResult, TrainerOptions, TrainerSnapshot,
} from './train';

// ── eval: probes, kNN, statistics ──
export {
  accuracyStandardError, accuracyVsLabelsPerClass, applyStandardizer, comparePaired, embedFunction, formatPairedComparison, formatSeedSummary, extractFeatures, fitLogisticRegression,
  fitStandardizer, knnClassify, knnPredict, linearProbe, mcnemarExact, nearestNeighbors, onlineKnnEvaluator, probeEncoder, probeRawPixels,
  rawPixelFeatures, standardizeTrainTest, summarizePredictions, summarizeSeeds, tunedLinearProbe,
} from './probe';
export type {
  ClassificationSummary, EmbedFunction, ExtractFeaturesOptions, FeatureMatrix, KnnOptions, KnnPrediction, KnnResult, LabelBudgetOptions,
  LabelBudgetResult, LabeledImages, LinearProbeOptions, LinearProbeResult, LogisticRegressionModel, LogisticRegressionOptions,
  NeighborResult, OnlineKnnOptions, PairedComparison, PairedComparisonOptions, ProbeEncoderOptions, ProbeReport, SeedSummary, Standardizer,
  TunedProbeOptions, TunedProbeResult,
} from './probe';

// ── eval: the workbook's scale, cached runs and metrics ──
export {
  WORKBOOK_SCALE_NAMES, describeRunSize, embedViewPairs, heldOutPairMetrics, lossLandmarks, neighborAgreement, pairMetrics, retrievalRows,
  simplexLoss, temperatureProfile, trainCached, workbookConfig, workbookScale,
} from './workbook';
export type {
  CachedRun, CachedRunOptions, LandmarkLoss, LossLandmarks, NeighborAgreement, PairMetrics, RetrievalRows, RunSize, TemperatureProfile,
  ViewPairOptions, ViewPairs, WorkbookScale, WorkbookScaleName,
} from './workbook';

// ── notebook display (toMimeBundle is what the notebook kernel renders values with) ──
export {
  barChart, confusionMatrixChart, displaySymbol, heatmap, imageGridPng, lineChart, liveLossCurves, multiLineChart, pca2d, scatterByLabel, show,
  showLive, showTable, similarityHeatmap, tensorGridPng, toMimeBundle,
} from './display';
export type {
  BarChartOptions, BarSeries, ConfusionMatrixOptions, HeatmapOptions, ImageGridOptions, JupyterDisplayable, LineChartOptions, LineSeries,
  LiveFigure, LiveFigureOptions, LiveLossCurves, LiveLossCurvesOptions, MimeBundle, Pca2d, Pca2dOptions, PlotlyFigure, ScatterByLabelOptions,
  ShowOptions, Showable,
} from './display';
