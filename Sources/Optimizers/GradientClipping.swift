import Layers
import TensorCore

/// Limits the gradients of a set of parameters in place before an optimizer step: by global norm, by value, or AGC.
///
/// Works on the f32 master gradients (plain, one value per parameter element), after
/// accumulation and before the update, as timm's `dispatch_clip_grad`:
/// - `norm`: the L2 norm of all gradients together, n; when c/(n + 10⁻⁶) < 1 every
///   gradient is scaled by that factor (`torch.nn.utils.clip_grad_norm_`).
/// - `value`: every element clamped to [−c, c] (`torch.nn.utils.clip_grad_value_`).
/// - `adaptive`: per unit (one slice along the first dimension of a weight, the
///   whole tensor for a vector), the gradient's norm is held to c·max(‖w‖, 10⁻³) by
///   scaling the unit's gradient by that limit over max(‖g‖, 10⁻⁶) (timm's `adaptive_clip_grad`).
/// A threshold of 0 turns clipping off: gradients stay exactly as they are.
public struct GradientClipping: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        case norm, value, adaptive
    }

    public var mode: Mode
    /// The largest global norm (`norm`), the largest magnitude (`value`) or the clip factor (`adaptive`).
    public var threshold: Double

    public init(mode: Mode, threshold: Double) {
        precondition(threshold >= 0 && threshold.isFinite, "a clipping threshold is a finite number >= 0")
        self.mode = mode
        self.threshold = threshold
    }

    /// Whether `apply` changes anything at all.
    public var isEnabled: Bool { threshold > 0 }

    /// Clips the gradients of `parameters` (those without one are skipped); returns the global norm for `norm`.
    ///
    /// The global norm is measured before clipping, in Float64.
    @discardableResult
    public func apply(to parameters: [(path: String, parameter: Parameter)]) -> Double? {
        guard isEnabled else { return nil }
        typealias Entry = (parameter: Parameter, values: UnsafeMutableBufferPointer<Float>)
        let gradients = parameters.compactMap { entry -> Entry? in
            guard let gradient = entry.parameter.gradient else { return nil }
            precondition(gradient.format.isPlain && gradient.dtype == .float32, "\(entry.path): gradients are plain f32")
            return (entry.parameter, gradient.storage.buffer(as: Float.self, count: gradient.elementCount))
        }
        switch mode {
        case .norm:
            let norm = Self.norm(gradients.map(\.values))
            let factor = threshold / (norm + 1e-6)
            if factor < 1 {
                let scale = Float(factor)
                for (_, values) in gradients {
                    for index in values.indices { values[index] *= scale }
                }
            }
            return norm
        case .value:
            let limit = Float(threshold)
            for (_, values) in gradients {
                for index in values.indices { values[index] = min(max(values[index], -limit), limit) }
            }
            return nil
        case .adaptive:
            for (parameter, values) in gradients {
                clipUnits(of: values, weights: parameter.value, shape: parameter.shape)
            }
            return nil
        }
    }

    /// AGC on one parameter: each unit's gradient scaled down to `threshold` times its weight norm when above it.
    private func clipUnits(of gradient: UnsafeMutableBufferPointer<Float>, weights: Tensor, shape: Shape) {
        let units = shape.rank <= 1 ? 1 : shape[0]
        let unitSize = gradient.count / units
        let weightValues = weights.storage.buffer(as: Float.self, count: gradient.count)
        for unit in 0..<units {
            let range = unit * unitSize..<(unit + 1) * unitSize
            let weightNorm = Self.norm([UnsafeMutableBufferPointer(rebasing: weightValues[range])])
            let gradientNorm = Self.norm([UnsafeMutableBufferPointer(rebasing: gradient[range])])
            let limit = max(weightNorm, 1e-3) * threshold
            guard gradientNorm >= limit else { continue }
            let scale = Float(limit / max(gradientNorm, 1e-6))
            for index in range { gradient[index] *= scale }
        }
    }

    /// The L2 norm of all the values together, summed in Float64.
    static func norm(_ buffers: [UnsafeMutableBufferPointer<Float>]) -> Double {
        var sum = 0.0
        for values in buffers {
            for value in values { sum += Double(value) * Double(value) }
        }
        return sum.squareRoot()
    }
}
