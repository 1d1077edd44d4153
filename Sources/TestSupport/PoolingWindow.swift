/// The input positions one pooling window covers along one axis, PyTorch's way.
///
/// For output position `o`, the window is `[o·stride − padding, o·stride − padding + kernel)`.
/// `padded` clips it to the padded input `[−padding, input + padding)`: the count a
/// padding-inclusive average divides by. `valid` clips it to the input `[0, input)`: the
/// elements actually read, and the count a padding-exclusive average divides by.
struct PoolingWindow {
    let padded: Range<Int>
    let valid: Range<Int>

    init(output: Int, input: Int, kernel: Int, stride: Int, padding: Int) {
        let start = output * stride - padding
        let paddedEnd = min(start + kernel, input + padding)
        padded = start..<paddedEnd
        valid = max(start, 0)..<min(paddedEnd, input)
    }
}
