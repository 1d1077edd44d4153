/// The AutoAugment ImageNet policies timm ships: 25 sub-policies of two ops, each op with its own probability and magnitude.
///
/// Shapes: `subPolicies[i]` is one sub-policy, its ops in the order they run.
/// `original` is the AutoAugment paper's ImageNet policy (posterize keeping 4 to 8
/// bits), `v0` the variant from the TPU EfficientNet code (posterize keeping 0 to 4
/// bits); the `…R` variants swap in the increasing posterize of Google's research
/// code. Tables transcribed from timm's `auto_augment_policy_*`; the magnitudes are
/// timm's levels, the same scale as RandAugment's `m`.
public enum AutoAugmentPolicy: String, Sendable, Equatable, CaseIterable {
    /// The AutoAugment paper's ImageNet policy (timm's `original`).
    case original
    /// `original` with the increasing posterize (timm's `originalr`).
    case originalResearch = "originalr"
    /// The TPU EfficientNet ImageNet policy (timm's `v0`).
    case v0
    /// `v0` with the increasing posterize (timm's `v0r`).
    case v0Research = "v0r"

    /// The sub-policies, each a list of ops without magnitude noise.
    public var subPolicies: [[AugmentOp]] {
        switch self {
        case .original: Self.originalTable
        case .originalResearch: Self.originalrTable
        case .v0: Self.v0Table
        case .v0Research: Self.v0rTable
        }
    }

    /// One table entry: an op at its probability and magnitude.
    private static func op(_ operation: AugmentOperation, _ probability: Double, _ magnitude: Double) -> AugmentOp {
        AugmentOp(operation, probability: probability, magnitude: magnitude)
    }

    /// timm's `auto_augment_policy_v0`.
    private static let v0Table: [[AugmentOp]] = [
        [op(.equalize, 0.8, 1), op(.shearY, 0.8, 4)],
        [op(.color, 0.4, 9), op(.equalize, 0.6, 3)],
        [op(.color, 0.4, 1), op(.rotate, 0.6, 8)],
        [op(.solarize, 0.8, 3), op(.equalize, 0.4, 7)],
        [op(.solarize, 0.4, 2), op(.solarize, 0.6, 2)],
        [op(.color, 0.2, 0), op(.equalize, 0.8, 8)],
        [op(.equalize, 0.4, 8), op(.solarizeAdd, 0.8, 3)],
        [op(.shearX, 0.2, 9), op(.rotate, 0.6, 8)],
        [op(.color, 0.6, 1), op(.equalize, 1.0, 2)],
        [op(.invert, 0.4, 9), op(.rotate, 0.6, 0)],
        [op(.equalize, 1.0, 9), op(.shearY, 0.6, 3)],
        [op(.color, 0.4, 7), op(.equalize, 0.6, 0)],
        [op(.posterize, 0.4, 6), op(.autoContrast, 0.4, 7)],
        [op(.solarize, 0.6, 8), op(.color, 0.6, 9)],
        [op(.solarize, 0.2, 4), op(.rotate, 0.8, 9)],
        [op(.rotate, 1.0, 7), op(.translateYRelative, 0.8, 9)],
        [op(.shearX, 0.0, 0), op(.solarize, 0.8, 4)],
        [op(.shearY, 0.8, 0), op(.color, 0.6, 4)],
        [op(.color, 1.0, 0), op(.rotate, 0.6, 2)],
        [op(.equalize, 0.8, 4), op(.equalize, 0.0, 8)],
        [op(.equalize, 1.0, 4), op(.autoContrast, 0.6, 2)],
        [op(.shearY, 0.4, 7), op(.solarizeAdd, 0.6, 7)],
        [op(.posterize, 0.8, 2), op(.solarize, 0.6, 10)],
        [op(.solarize, 0.6, 8), op(.equalize, 0.6, 1)],
        [op(.color, 0.8, 6), op(.rotate, 0.4, 5)],
    ]

    /// timm's `auto_augment_policy_v0r`.
    private static let v0rTable: [[AugmentOp]] = [
        [op(.equalize, 0.8, 1), op(.shearY, 0.8, 4)],
        [op(.color, 0.4, 9), op(.equalize, 0.6, 3)],
        [op(.color, 0.4, 1), op(.rotate, 0.6, 8)],
        [op(.solarize, 0.8, 3), op(.equalize, 0.4, 7)],
        [op(.solarize, 0.4, 2), op(.solarize, 0.6, 2)],
        [op(.color, 0.2, 0), op(.equalize, 0.8, 8)],
        [op(.equalize, 0.4, 8), op(.solarizeAdd, 0.8, 3)],
        [op(.shearX, 0.2, 9), op(.rotate, 0.6, 8)],
        [op(.color, 0.6, 1), op(.equalize, 1.0, 2)],
        [op(.invert, 0.4, 9), op(.rotate, 0.6, 0)],
        [op(.equalize, 1.0, 9), op(.shearY, 0.6, 3)],
        [op(.color, 0.4, 7), op(.equalize, 0.6, 0)],
        [op(.posterizeIncreasing, 0.4, 6), op(.autoContrast, 0.4, 7)],
        [op(.solarize, 0.6, 8), op(.color, 0.6, 9)],
        [op(.solarize, 0.2, 4), op(.rotate, 0.8, 9)],
        [op(.rotate, 1.0, 7), op(.translateYRelative, 0.8, 9)],
        [op(.shearX, 0.0, 0), op(.solarize, 0.8, 4)],
        [op(.shearY, 0.8, 0), op(.color, 0.6, 4)],
        [op(.color, 1.0, 0), op(.rotate, 0.6, 2)],
        [op(.equalize, 0.8, 4), op(.equalize, 0.0, 8)],
        [op(.equalize, 1.0, 4), op(.autoContrast, 0.6, 2)],
        [op(.shearY, 0.4, 7), op(.solarizeAdd, 0.6, 7)],
        [op(.posterizeIncreasing, 0.8, 2), op(.solarize, 0.6, 10)],
        [op(.solarize, 0.6, 8), op(.equalize, 0.6, 1)],
        [op(.color, 0.8, 6), op(.rotate, 0.4, 5)],
    ]

    /// timm's `auto_augment_policy_original`.
    private static let originalTable: [[AugmentOp]] = [
        [op(.posterizeOriginal, 0.4, 8), op(.rotate, 0.6, 9)],
        [op(.solarize, 0.6, 5), op(.autoContrast, 0.6, 5)],
        [op(.equalize, 0.8, 8), op(.equalize, 0.6, 3)],
        [op(.posterizeOriginal, 0.6, 7), op(.posterizeOriginal, 0.6, 6)],
        [op(.equalize, 0.4, 7), op(.solarize, 0.2, 4)],
        [op(.equalize, 0.4, 4), op(.rotate, 0.8, 8)],
        [op(.solarize, 0.6, 3), op(.equalize, 0.6, 7)],
        [op(.posterizeOriginal, 0.8, 5), op(.equalize, 1.0, 2)],
        [op(.rotate, 0.2, 3), op(.solarize, 0.6, 8)],
        [op(.equalize, 0.6, 8), op(.posterizeOriginal, 0.4, 6)],
        [op(.rotate, 0.8, 8), op(.color, 0.4, 0)],
        [op(.rotate, 0.4, 9), op(.equalize, 0.6, 2)],
        [op(.equalize, 0.0, 7), op(.equalize, 0.8, 8)],
        [op(.invert, 0.6, 4), op(.equalize, 1.0, 8)],
        [op(.color, 0.6, 4), op(.contrast, 1.0, 8)],
        [op(.rotate, 0.8, 8), op(.color, 1.0, 2)],
        [op(.color, 0.8, 8), op(.solarize, 0.8, 7)],
        [op(.sharpness, 0.4, 7), op(.invert, 0.6, 8)],
        [op(.shearX, 0.6, 5), op(.equalize, 1.0, 9)],
        [op(.color, 0.4, 0), op(.equalize, 0.6, 3)],
        [op(.equalize, 0.4, 7), op(.solarize, 0.2, 4)],
        [op(.solarize, 0.6, 5), op(.autoContrast, 0.6, 5)],
        [op(.invert, 0.6, 4), op(.equalize, 1.0, 8)],
        [op(.color, 0.6, 4), op(.contrast, 1.0, 8)],
        [op(.equalize, 0.8, 8), op(.equalize, 0.6, 3)],
    ]

    /// timm's `auto_augment_policy_originalr`.
    private static let originalrTable: [[AugmentOp]] = [
        [op(.posterizeIncreasing, 0.4, 8), op(.rotate, 0.6, 9)],
        [op(.solarize, 0.6, 5), op(.autoContrast, 0.6, 5)],
        [op(.equalize, 0.8, 8), op(.equalize, 0.6, 3)],
        [op(.posterizeIncreasing, 0.6, 7), op(.posterizeIncreasing, 0.6, 6)],
        [op(.equalize, 0.4, 7), op(.solarize, 0.2, 4)],
        [op(.equalize, 0.4, 4), op(.rotate, 0.8, 8)],
        [op(.solarize, 0.6, 3), op(.equalize, 0.6, 7)],
        [op(.posterizeIncreasing, 0.8, 5), op(.equalize, 1.0, 2)],
        [op(.rotate, 0.2, 3), op(.solarize, 0.6, 8)],
        [op(.equalize, 0.6, 8), op(.posterizeIncreasing, 0.4, 6)],
        [op(.rotate, 0.8, 8), op(.color, 0.4, 0)],
        [op(.rotate, 0.4, 9), op(.equalize, 0.6, 2)],
        [op(.equalize, 0.0, 7), op(.equalize, 0.8, 8)],
        [op(.invert, 0.6, 4), op(.equalize, 1.0, 8)],
        [op(.color, 0.6, 4), op(.contrast, 1.0, 8)],
        [op(.rotate, 0.8, 8), op(.color, 1.0, 2)],
        [op(.color, 0.8, 8), op(.solarize, 0.8, 7)],
        [op(.sharpness, 0.4, 7), op(.invert, 0.6, 8)],
        [op(.shearX, 0.6, 5), op(.equalize, 1.0, 9)],
        [op(.color, 0.4, 0), op(.equalize, 0.6, 3)],
        [op(.equalize, 0.4, 7), op(.solarize, 0.2, 4)],
        [op(.solarize, 0.6, 5), op(.autoContrast, 0.6, 5)],
        [op(.invert, 0.6, 4), op(.equalize, 1.0, 8)],
        [op(.color, 0.6, 4), op(.contrast, 1.0, 8)],
        [op(.equalize, 0.8, 8), op(.equalize, 0.6, 3)],
    ]
}
