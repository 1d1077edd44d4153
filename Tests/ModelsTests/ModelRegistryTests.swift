import Layers
import Models
import Testing

/// The registry's ids build timm's models: the same parameter counts and multiply-accumulates.
@Suite struct ModelRegistryTests {
    /// timm's counts at 1000 classes, 3 input channels; the `c`/`d` ids add the deep stem's 19,232 over the plain ones.
    static let timmParameterCounts: [String: Int] = [
        "resnet18": 11_689_512, "resnet18d": 11_708_744,
        "resnet26": 15_995_176, "resnet26d": 16_014_408,
        "resnet34": 21_797_672, "resnet34d": 21_816_904,
        "resnet50": 25_557_032, "resnet50c": 25_576_264, "resnet50d": 25_576_264,
        "resnet101": 44_549_160, "resnet101d": 44_568_392,
        "resnet152": 60_192_808, "resnet152d": 60_212_040,
    ]

    @Test func idsAreSortedAndCoverTheFamily() {
        #expect(ModelRegistry.ids == ModelRegistry.ids.sorted())
        #expect(Set(ModelRegistry.ids) == Set(Self.timmParameterCounts.keys))
    }

    @Test func unknownIdHasNoConfiguration() {
        #expect(ModelRegistry.configuration(id: "resnet51") == nil)
    }

    @Test func variantsMatchTimmDefinitions() throws {
        let plain = try #require(ModelRegistry.configuration(id: "resnet50"))
        #expect(plain.stem == .classic && plain.downsample == .convolution && plain.stridePlacement == .middleConvolution)
        let c = try #require(ModelRegistry.configuration(id: "resnet50c"))
        #expect(c.stem == .deep && c.downsample == .convolution)
        let d = try #require(ModelRegistry.configuration(id: "resnet50d"))
        #expect(d.stem == .deep && d.downsample == .averagePool)
    }

    @Test(arguments: timmParameterCounts.keys.sorted())
    func architectureArithmeticGivesTimmsCount(id: String) throws {
        let configuration = try #require(ModelRegistry.configuration(id: id))
        #expect(ParameterArithmetic.count(configuration) == Self.timmParameterCounts[id])
    }

    @Test(arguments: timmParameterCounts.keys.sorted())
    func builtModelHasTheArithmeticCount(id: String) {
        let model = makeModel(id) { $0.widthMultiplier = 0.125 }
        #expect(model.parameterCount == ParameterArithmetic.count(model.configuration))
    }

    /// Full-width builds are slow in debug builds, so only these three: the count and the published GMACs at 224.
    @Test(arguments: [("resnet18", 1.81), ("resnet50", 4.09), ("resnet50d", 4.35)])
    func fullWidthModelHasTimmsCountAndPublishedMultiplyAccumulates(id: String, gigaMACs: Double) {
        let model = makeModel(id)
        #expect(model.parameterCount == Self.timmParameterCounts[id])
        let counted = Double(model.multiplyAccumulates(imageSize: 224)) / 1e9
        #expect(abs(counted / gigaMACs - 1) < 0.01, "\(id): \(counted) GMACs")
    }

    @Test func recipeStringsAreTheRawValues() {
        #expect(ResNetConfiguration.StridePlacement(rawValue: "first") == .firstConvolution)
        #expect(ResNetConfiguration.StridePlacement(rawValue: "middle") == .middleConvolution)
        #expect(ResNetConfiguration.Stem(rawValue: "small-image") == .smallImage)
        #expect(ResNetConfiguration.Stem(rawValue: "deep") == .deep)
        #expect(ResNetConfiguration.Downsample(rawValue: "average-pool") == .averagePool)
        #expect(ResNetConfiguration.Downsample(rawValue: "convolution") == .convolution)
        #expect(ResNetConfiguration.Normalization.group(groups: 8).name == "group")
    }

    @Test func invalidConfigurationsAreReportedByField() {
        var configuration = ResNetConfiguration(depth: .layers18, widthMultiplier: 0.25)
        configuration.normalization = .group(groups: 32)
        #expect(throws: ResNetConfigurationError.self) { try configuration.validate() }
        configuration.normalization = .group(groups: 16)
        #expect(throws: Never.self) { try configuration.validate() }
        configuration.dropPathRate = 1
        #expect(throws: ResNetConfigurationError.invalid(field: "dropPathRate", reason: "must be in [0, 1), got 1.0")) {
            try configuration.validate()
        }
    }
}
