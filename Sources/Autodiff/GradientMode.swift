/// Whether ops are recorded for differentiation in the current task.
///
/// Evaluation runs inside `withoutGradients`, so nothing is recorded and no
/// intermediate tensor is kept alive for a backward pass that will not come.
public enum GradientMode {
    @TaskLocal static var disabled = false

    /// True unless inside `withoutGradients`.
    public static var isEnabled: Bool { !disabled }
}

/// Runs `body` without recording any op for differentiation.
public func withoutGradients<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradientMode.$disabled.withValue(true) { try body() }
}
