/// The models Hone can build, by timm's ids: `resnet18` ... `resnet152` and their C and D variants.
///
/// Why ids: recipes, checkpoints and users name models as timm does, and a model
/// built from an id has timm's parameter names and counts (resnet50: 25,557,032),
/// so pre-trained weights load unchanged. The plain ids are torchvision's ResNets
/// (ResNet-B: stride on the 3x3); `c` adds the deep stem, `d` the deep stem and
/// average-pool shortcuts, as timm's `stem_type='deep'` and `avg_down=True`.
public enum ModelRegistry {
    private static let entries: [String: (depth: ResNetConfiguration.Depth, stem: ResNetConfiguration.Stem,
                                          downsample: ResNetConfiguration.Downsample)] = {
        var entries: [String: (ResNetConfiguration.Depth, ResNetConfiguration.Stem, ResNetConfiguration.Downsample)] = [:]
        for depth in ResNetConfiguration.Depth.allCases {
            entries["resnet\(depth.rawValue)"] = (depth, .classic, .convolution)
            entries["resnet\(depth.rawValue)d"] = (depth, .deep, .averagePool)
        }
        entries["resnet50c"] = (.layers50, .deep, .convolution)
        return entries
    }()

    /// Every id, sorted.
    public static var ids: [String] { entries.keys.sorted() }

    /// The configuration `id` names with the default tweaks (no zero-γ, no stochastic depth, batch norm), nil for an unknown id.
    public static func configuration(id: String, classes: Int = 1000,
                                     inputChannels: Int = 3) -> ResNetConfiguration? {
        guard let entry = entries[id] else { return nil }
        return ResNetConfiguration(depth: entry.depth, stem: entry.stem, downsample: entry.downsample,
                                   inputChannels: inputChannels, classes: classes)
    }

    /// A freshly initialised model; the same configuration and seed give the same weights.
    public static func makeModel(_ configuration: ResNetConfiguration, seed: UInt64) -> ResNet {
        ResNet(configuration: configuration, seed: seed)
    }
}
