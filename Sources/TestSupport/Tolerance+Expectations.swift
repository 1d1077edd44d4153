import TensorCore
import Testing

/// Records one Swift Testing issue, naming the worst element, when `actual` strays from `expected`.
///
/// Shapes: both arrays the same length, compared element by element in row-major order.
/// Returns whether they matched, so a test can stop before a follow-up check that would
/// only repeat the failure.
@discardableResult
public func expectClose(_ actual: [Double], _ expected: [Double], tolerance: Tolerance, _ comment: Comment? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard let violation = tolerance.worstViolation(actual: actual, expected: expected) else { return true }
    let prefix = comment.map { "\($0): " } ?? ""
    Issue.record(Comment(rawValue: prefix + violation.description), sourceLocation: sourceLocation)
    return false
}

/// Records an issue when float32 results stray from their Float64 reference; see the `[Double]` form.
@discardableResult
public func expectClose(_ actual: [Float], _ expected: [Double], tolerance: Tolerance, _ comment: Comment? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    expectClose(actual.map(Double.init), expected, tolerance: tolerance, comment, sourceLocation: sourceLocation)
}

/// Records an issue when a scalar strays from its reference; see the `[Double]` form.
@discardableResult
public func expectClose(_ actual: Double, _ expected: Double, tolerance: Tolerance, _ comment: Comment? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    expectClose([actual], [expected], tolerance: tolerance, comment, sourceLocation: sourceLocation)
}

/// Records an issue when two reference tensors differ in shape or stray in value.
@discardableResult
public func expectClose(_ actual: ReferenceTensor, _ expected: ReferenceTensor, tolerance: Tolerance,
                        _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard actual.shape == expected.shape else {
        let prefix = comment.map { "\($0): " } ?? ""
        Issue.record(Comment(rawValue: prefix + "shape \(actual.shape), expected \(expected.shape)"),
                     sourceLocation: sourceLocation)
        return false
    }
    return expectClose(actual.values, expected.values, tolerance: tolerance, comment, sourceLocation: sourceLocation)
}

/// Records an issue when a plain `Tensor` (a kernel's output) differs in shape from, or strays from, its reference.
///
/// The tensor must be plain: reorder a blocked one first, as any reader of its elements must.
@discardableResult
public func expectClose(_ actual: Tensor, _ expected: ReferenceTensor, tolerance: Tolerance, _ comment: Comment? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    expectClose(ReferenceTensor(actual), expected, tolerance: tolerance, comment, sourceLocation: sourceLocation)
}

/// Records an issue when a full gradient strays from finite differences probed at some of its indices.
///
/// Shapes: `actual` [n]; `expected` maps flat indices in 0..<n (from
/// `FiniteDifferences.gradient(at:probing:...)`) to derivatives. Only the probed indices are compared.
@discardableResult
public func expectClose(_ actual: [Double], _ expected: [Int: Double], tolerance: Tolerance, _ comment: Comment? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    let indices = expected.keys.sorted()
    precondition(indices.allSatisfy { actual.indices.contains($0) },
                 "probed index outside the \(actual.count) elements compared")
    guard let violation = tolerance.worstViolation(actual: indices.map { actual[$0] },
                                                   expected: indices.map { expected[$0]! }) else { return true }
    var located = violation
    located.index = indices[violation.index]
    let prefix = comment.map { "\($0): " } ?? ""
    Issue.record(Comment(rawValue: prefix + located.description), sourceLocation: sourceLocation)
    return false
}
