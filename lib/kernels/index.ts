export { registerFastKernels, restoreStockKernels, fastKernelsRegistered } from './register';
export { KernelComposer } from './compose';
export { convGeometry, convFlops } from './geometry';
export type { ConvGeometry } from './geometry';
export { conv2dBackpropFilterByTaps, conv2dBackpropFilterByConv, conv2dBackpropFilterBySlices, conv2dBackpropFilterPointwise } from './convBackpropFilter';
export { conv2dBackpropInputByConv, conv2dBackpropInputByPhases, conv2dBackpropInputPointwise } from './convBackpropInput';
export { loadNativeAddon, loadNativeConv } from './native';
export type { NativeAddonStatus, NativeConvStatus } from './native';
export { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from './kernelNames';
