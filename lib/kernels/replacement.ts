/** Wrapping a composed convolution-gradient algorithm as a kernelFunc for one backend. */
import * as tf from '@tensorflow/tfjs';
import { KernelComposer } from './compose';
import { ConvGeometry, PadAttribute, convGeometry, isChannelsLast } from './geometry';
import { conv2dBackpropInputByPhases } from './convBackpropInput';

/** Body of a composed conv-gradient kernel: the two inputs and the resolved geometry → the gradient. */
export type ConvGradientBody = (composer: KernelComposer, first: tf.TensorInfo, second: tf.TensorInfo, g: ConvGeometry) => tf.TensorInfo;

interface ConvGradientAttrs {
  strides: number | number[];
  pad: PadAttribute;
  dataFormat?: string;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape?: number[];
  inputShape?: number[];
}

/**
 * kernelFunc for Conv2DBackpropFilter (inputs x, dy; attr filterShape) or Conv2DBackpropInput (inputs dy,
 * filter; attr inputShape) on `backendName`, running `body` through a KernelComposer that frees all
 * intermediates. Cases the body does not handle (NCHW data, non-float32) go to `stock` when there is one.
 */
export function convGradientKernel(
  kernelName: 'Conv2DBackpropFilter' | 'Conv2DBackpropInput',
  backendName: string,
  body: ConvGradientBody,
  stock: tf.KernelFunc | undefined,
): tf.KernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const attrs = args.attrs as unknown as ConvGradientAttrs;
    const isFilter = kernelName === 'Conv2DBackpropFilter';
    const first = (isFilter ? inputs.x : inputs.dy) as tf.TensorInfo;
    const second = (isFilter ? inputs.dy : inputs.filter) as tf.TensorInfo;
    const supported = isChannelsLast(attrs.dataFormat) && first.dtype === 'float32' && second.dtype === 'float32';
    if (!supported) {
      if (stock) return stock(args);
      throw new Error(`${kernelName} on '${backendName}': only NHWC float32 is supported, got dataFormat ` +
        `${attrs.dataFormat} and dtypes ${first.dtype}, ${second.dtype}`);
    }
    const xShape = isFilter ? first.shape : (attrs.inputShape as number[]);
    const filterShape = isFilter ? (attrs.filterShape as number[]) : second.shape;
    const g = convGeometry(xShape, filterShape, attrs.strides, attrs.pad, attrs.dimRoundingMode);
    const composer = new KernelComposer(backend as tf.KernelBackend, backendName);
    try {
      return composer.finish(body(composer, first, second, g));
    } catch (err) {
      composer.abandon();
      throw err;
    }
  };
}

/**
 * The two conv-gradient kernel configs for `backendName`: Conv2DBackpropFilter by `filterBody` (the part that
 * differs per backend) and Conv2DBackpropInput by forward convs one output phase at a time (shared).
 * `stock` looks up the backend's own configs, used for the cases the bodies do not handle.
 */
export function convGradientConfigs(
  backendName: string,
  filterBody: ConvGradientBody,
  stock: (kernelName: string) => tf.KernelConfig | undefined,
): tf.KernelConfig[] {
  return [
    { kernelName: 'Conv2DBackpropFilter', backendName, kernelFunc: convGradientKernel('Conv2DBackpropFilter', backendName, filterBody, stock('Conv2DBackpropFilter')?.kernelFunc) },
    { kernelName: 'Conv2DBackpropInput', backendName, kernelFunc: convGradientKernel('Conv2DBackpropInput', backendName, conv2dBackpropInputByPhases, stock('Conv2DBackpropInput')?.kernelFunc) },
  ];
}
