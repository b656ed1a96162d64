export { registerFastKernels, restoreStockKernels, fastKernelsRegistered } from './register';
export { KernelComposer } from './compose';
export { convGeometry, convFlops } from './geometry';
export type { ConvGeometry } from './geometry';
export { conv2dBackpropFilterByTaps, conv2dBackpropFilterByConv, conv2dBackpropFilterBySlices, conv2dBackpropFilterPointwise } from './conv_backprop_filter';
export { conv2dBackpropInputByConv, conv2dBackpropInputByPhases, conv2dBackpropInputPointwise } from './conv_backprop_input';
export { loadNativeConv } from './native';
export type { NativeConvStatus } from './native';
