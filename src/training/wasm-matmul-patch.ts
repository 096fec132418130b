/**
 * Training-only speed patch for the wasm backend. tfjs-backend-wasm runs a BatchMatMul on
 * XNNPACK only when both operands have batch 1 and neither transpose flag is set; any flag sends
 * it to a scalar triple loop (~2 GFLOP/s; see ../shared/notes/cpu-backends.md). Inference never
 * sets a flag on a dense layer, but every Linear's backward pass does (dX = dY·Wᵀ, dW = Xᵀ·dY):
 * measured on the demo model, those flagged matMuls were ~75 % of a training step.
 *
 * This wraps the registered wasm BatchMatMul kernel: a flagged matMul of batch-1 operands first
 * transposes the flagged operand explicitly (one Transpose kernel, O(size)), then runs the
 * unflagged fast path. The result is the same product; batched (attention) matMuls are left as
 * they are. Installed by the trainer only, never by the analysis worker.
 */
import * as tf from '@tensorflow/tfjs';

type KernelArguments = Parameters<tf.KernelFunc>[0];
type TensorInfo = tf.TensorInfo;

let installed = false;

/** Installs the wrapper once, when wasm is the current backend; returns whether it is in place. */
export function installWasmMatMulPatch(): boolean {
  if (installed) return true;
  if (tf.getBackend() !== 'wasm') return false;
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (original === undefined || transpose === undefined) return false;
  const originalFunction = original.kernelFunc;
  const transposeLastTwo = (x: TensorInfo, backend: KernelArguments['backend']): TensorInfo => {
    const rank = x.shape.length;
    const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2]; // […, m, n] → […, n, m]
    return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
  };
  const batchOf = (x: TensorInfo): number => x.shape.slice(0, -2).reduce((product, size) => product * size, 1);
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: (args: KernelArguments) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
      if ((!transposeA && !transposeB) || batchOf(a) !== 1 || batchOf(b) !== 1) return originalFunction(args);
      const backend = args.backend as KernelArguments['backend'] & { disposeData(dataId: object): void };
      const left = transposeA ? transposeLastTwo(a, backend) : a;
      const right = transposeB ? transposeLastTwo(b, backend) : b;
      try {
        return originalFunction({ ...args, inputs: { a: left, b: right }, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
      } finally {
        if (left !== a) backend.disposeData(left.dataId);
        if (right !== b) backend.disposeData(right.dataId);
      }
    },
  });
  installed = true;
  return true;
}
