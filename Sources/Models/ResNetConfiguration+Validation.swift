extension ResNetConfiguration {
    /// Checks what a recipe can get wrong; `ResNet(configuration:seed:)` requires a valid configuration.
    ///
    /// Why typed: the values come from user recipes, so a bad one is a run-time error
    /// to report with the field's name, not a crash.
    public func validate() throws(ResNetConfigurationError) {
        guard inputChannels > 0 else { throw .invalid(field: "inputChannels", reason: "must be at least 1, got \(inputChannels)") }
        guard classes > 0 else { throw .invalid(field: "classes", reason: "must be at least 1, got \(classes)") }
        guard widthMultiplier > 0, widthMultiplier.isFinite else {
            throw .invalid(field: "widthMultiplier", reason: "must be above 0, got \(widthMultiplier)")
        }
        guard (0..<1).contains(dropPathRate) else {
            throw .invalid(field: "dropPathRate", reason: "must be in [0, 1), got \(dropPathRate)")
        }
        guard (0..<1).contains(dropoutRate) else {
            throw .invalid(field: "dropoutRate", reason: "must be in [0, 1), got \(dropoutRate)")
        }
        if case .group(let groups) = normalization {
            guard groups > 0 else { throw .invalid(field: "normalization", reason: "groups must be at least 1, got \(groups)") }
            let indivisible = normalizedChannelCounts.filter { $0 % groups != 0 }
            guard indivisible.isEmpty else {
                throw .invalid(field: "normalization",
                               reason: "\(groups) groups do not divide \(indivisible.map(String.init).joined(separator: ", ")) channels")
            }
        }
    }

    /// Every channel count a norm layer sees.
    var normalizedChannelCounts: [Int] {
        var counts = Set([stemChannels] + (stem == .deep ? [scaled(32)] : []))
        for width in stageWidths { counts.formUnion([width, width * depth.block.expansion]) }
        return counts.sorted()
    }
}

/// Why a configuration cannot be built.
public enum ResNetConfigurationError: Error, Equatable, CustomStringConvertible {
    case invalid(field: String, reason: String)

    public var description: String {
        switch self {
        case let .invalid(field, reason): "model \(field): \(reason)"
        }
    }
}
