import CDNNL
import TensorCore

extension CPUBackend {
    /// `input[n, ...] * scale[n]` by contiguous per-sample chunks, or nil when samples are not contiguous in the layout.
    ///
    /// Shapes: input [N, ...] f32 or bf16 in any layout whose outermost dimension is N
    /// (plain NCHW, nhwc, nChw16c: every activation layout oneDNN picks here); scale f32
    /// [N]. Stochastic depth scales whole samples by 0 or 1/(1 − p), so each sample is a
    /// memset, a copy or one multiply over its bytes. oneDNN 2.6's binary primitive has
    /// no optimised kernel for a per-sample broadcast over a blocked bf16 tensor and falls
    /// back to its reference loop, which made a ResNet-50 step with drop path 14x slower.
    /// bf16 products round to nearest even, as oneDNN's binary does.
    func multiplyBySampleChunks(_ input: Tensor, perSampleScale scale: Tensor) -> Tensor? {
        guard let sampleBytes = sampleStrideInBytes(of: input) else { return nil }
        let samples = input.shape[0]
        let output = Tensor(shape: input.shape, dtype: input.dtype, format: input.format,
                            storage: TensorStorage(byteCount: sampleBytes * samples, zeroed: false))
        let factors = scale.storage.buffer(as: Float.self, count: samples)
        for sample in 0..<samples {
            let source = input.storage.pointer + sample * sampleBytes
            let destination = output.storage.pointer + sample * sampleBytes
            let factor = factors[sample]
            if factor == 0 {
                destination.initializeMemory(as: UInt8.self, repeating: 0, count: sampleBytes)
            } else if factor == 1 {
                destination.copyMemory(from: source, byteCount: sampleBytes)
            } else if input.dtype == .bfloat16 {
                let count = sampleBytes / 2
                let from = source.assumingMemoryBound(to: UInt16.self)
                let to = destination.assumingMemoryBound(to: UInt16.self)
                for index in 0..<count { to[index] = BFloat16.bits(from: BFloat16.float(from: from[index]) * factor) }
            } else {
                let count = sampleBytes / 4
                let from = source.assumingMemoryBound(to: Float.self)
                let to = destination.assumingMemoryBound(to: Float.self)
                for index in 0..<count { to[index] = from[index] * factor }
            }
        }
        return output
    }

    /// The bytes between consecutive samples when dimension 0 is outermost, unpadded and unblocked; nil otherwise.
    private func sampleStrideInBytes(of tensor: Tensor) -> Int? {
        guard tensor.dtype == .float32 || tensor.dtype == .bfloat16, tensor.shape.rank >= 1, tensor.shape[0] > 0 else {
            return nil
        }
        let samples = tensor.shape[0]
        let layout = MemoryDescriptor(of: tensor)
        let descriptor = layout.raw
        guard descriptor.format_kind == dnnl_blocked, descriptor.padded_dims.0 == Int64(samples) else { return nil }
        let blocking = descriptor.format_desc.blocking
        let innerIndices = withUnsafeBytes(of: blocking.inner_idxs) {
            Array($0.bindMemory(to: Int64.self).prefix(Int(blocking.inner_nblks)))
        }
        guard !innerIndices.contains(0) else { return nil }
        let bytes = layout.byteCount / samples
        let elementBytes = tensor.dtype == .bfloat16 ? 2 : 4
        guard bytes * samples == layout.byteCount, Int(blocking.strides.0) * elementBytes == bytes else {
            return nil
        }
        return bytes
    }
}
