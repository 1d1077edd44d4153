import Autodiff
import Layers
import Models
import TensorCore
import Testing

/// The tweaks do what their papers say: zero-γ, stochastic depth, GroupNorm, width, stems, stride placement.
@Suite struct VariantTests {
    @Test(arguments: ["resnet18", "resnet50d"])
    func zeroInitialResidualScaleZeroesTheLastNormOfEveryBranch(id: String) {
        let model = makeModel(id, classes: 10) {
            $0.zeroInitialResidualScale = true
            $0.widthMultiplier = 0.25
        }
        for block in model.blocks {
            #expect(block.lastNormalization.weight.value.scalars.allSatisfy { $0 == 0 })
        }
        let lastNames: Set<String> = id == "resnet18" ? ["bn2"] : ["bn3"]
        for (path, parameter) in model.namedParameters() where parameter.kind == .normScale {
            let name = path.split(separator: ".").dropLast().last.map(String.init) ?? ""
            let expected: Float = path.hasPrefix("layer") && lastNames.contains(name) ? 0 : 1
            #expect(parameter.value.scalars.allSatisfy { $0 == expected }, "\(path)")
        }
    }

    @Test func dropPathRatesRiseLinearlyAsTimms() {
        let model = makeModel("resnet50", classes: 10) {
            $0.dropPathRate = 0.1
            $0.widthMultiplier = 0.25
        }
        let rates = model.blocks.map(\.dropPath.rate)
        #expect(rates.count == 16)
        #expect(rates == (0..<16).map { 0.1 * Double($0) / 15 })
        #expect(rates.first == 0 && rates.last == 0.1)
        let names = model.namedLayers().compactMap { $0.layer is DropPath ? $0.path : nil }
        #expect(names.first == "layer1.0.drop_path")
    }

    @Test func dropPathIsTheIdentityInEvaluation() {
        _ = testBackend
        let dropPath = DropPath(rate: 0.5)
        dropPath.isTraining = false
        let input = randomImages(count: 4, channels: 2, size: 3, seed: 1)
        var generator = SeededGenerator(seed: 2)
        let before = generator.state
        #expect(plainScalars(dropPath(input, generator: &generator).value) == input.value.scalars)
        #expect(generator.state == before)
    }

    @Test func dropPathKeepsOrDropsWholeSamplesAndRescales() {
        _ = testBackend
        let dropPath = DropPath(rate: 0.25)
        let input = Variable(Tensor(repeating: 1, shape: [64, 2, 2, 2]))
        var generator = SeededGenerator(seed: 3)
        let output = plainScalars(dropPath(input, generator: &generator).value)
        let perSample = (0..<64).map { Array(output[$0 * 8..<($0 + 1) * 8]) }
        #expect(perSample.allSatisfy { Set($0).count == 1 })
        let values = Set(perSample.map { $0[0] })
        #expect(values == [0, Float(1 / 0.75)])
    }

    @Test func modelDrawsNothingInEvaluation() {
        let model = makeModel("resnet18", classes: 10) {
            $0.dropPathRate = 0.5
            $0.dropoutRate = 0.5
            $0.widthMultiplier = 0.25
        }
        model.setTraining(false)
        #expect(model.blocks.allSatisfy { !$0.dropPath.isTraining })
        let images = randomImages(count: 2, channels: 3, size: 32, seed: 4)
        let state = model.generator.state
        let first = withoutGradients { plainScalars(model(images).value) }
        let second = withoutGradients { plainScalars(model(images).value) }
        #expect(first == second)
        #expect(model.generator.state == state)
        model.setTraining(true)
        _ = withoutGradients { model(images) }
        #expect(model.generator.state != state)
    }

    @Test func groupNormVariantHasNoBatchNorm() {
        let model = makeModel("resnet50d", classes: 10) {
            $0.normalization = .group(groups: 4)
            $0.widthMultiplier = 0.25
        }
        let layers = model.namedLayers().map(\.layer)
        #expect(!layers.contains { $0 is BatchNorm2D })
        #expect(layers.filter { $0 is GroupNorm2D }.count == 3 + 16 * 3 + 4)
        #expect(model.namedBuffers().isEmpty)
        #expect(model.parameterCount == makeModel("resnet50d", classes: 10) { $0.widthMultiplier = 0.25 }.parameterCount)
    }

    @Test func widthMultiplierHalvesEveryChannelCount() {
        let half = makeModel("resnet50", classes: 10) { $0.widthMultiplier = 0.5 }
        let quarter = makeModel("resnet50", classes: 10) { $0.widthMultiplier = 0.25 }
        let halfShapes = Dictionary(uniqueKeysWithValues: half.namedParameters().map { ($0.path, $0.parameter.shape) })
        #expect(halfShapes["conv1.weight"] == [32, 3, 7, 7])
        #expect(halfShapes["layer1.0.conv2.weight"] == [32, 32, 3, 3])
        #expect(halfShapes["layer4.2.conv3.weight"] == [1024, 256, 1, 1])
        #expect(halfShapes["fc.weight"] == [10, 1024])
        for (path, parameter) in quarter.namedParameters() {
            var expected = halfShapes[path]?.dimensions ?? []
            if path == "conv1.weight" {
                expected[0] /= 2
            } else if path == "fc.weight" {
                expected[1] /= 2
            } else if path != "fc.bias" {
                expected[0] /= 2
                if expected.count == 4 { expected[1] /= 2 }
            }
            #expect(parameter.shape.dimensions == expected, "\(path)")
        }
    }

    @Test func smallImageStemKeepsTheInputSize() {
        let model = makeModel("resnet18", classes: 10) {
            $0.stem = .smallImage
            $0.widthMultiplier = 0.25
        }
        let images = randomImages(count: 2, channels: 3, size: 32, seed: 5)
        #expect(model.stem(images).shape == [2, 16, 32, 32])
        #expect(model.features(images).shape == [2, 128, 4, 4])
        #expect(model.namedParameters().map(\.path).prefix(2) == ["conv1.weight", "bn1.weight"])
        #expect(model.stem.convolutions[0].weight.shape == [16, 3, 3, 3])
    }

    @Test func classicAndDeepStemsQuarterTheInputSize() {
        let images = randomImages(count: 1, channels: 3, size: 64, seed: 6)
        for id in ["resnet50", "resnet50d"] {
            #expect(makeModel(id, classes: 10) { $0.widthMultiplier = 0.25 }.stem(images).shape == [1, 16, 16, 16], "\(id)")
        }
    }

    @Test(arguments: [ResNetConfiguration.StridePlacement.firstConvolution, .middleConvolution])
    func stridePlacementPicksTheBottleneckConvolution(placement: ResNetConfiguration.StridePlacement) throws {
        let model = makeModel("resnet50", classes: 10) {
            $0.stridePlacement = placement
            $0.widthMultiplier = 0.25
        }
        let block = try #require(model.stages[1][0] as? Bottleneck)
        let strides = [block.conv1, block.conv2, block.conv3].map(\.geometry.stride.height)
        #expect(strides == (placement == .firstConvolution ? [2, 1, 1] : [1, 2, 1]))
        #expect(block.downsample?.convolution.geometry.stride.height == 2)
        let images = randomImages(count: 1, channels: 3, size: 64, seed: 7)
        #expect(model.features(images).shape == [1, 512, 2, 2])
    }

    @Test func basicBlocksStrideOnTheFirstConvolutionEitherWay() throws {
        let model = makeModel("resnet18", classes: 10) {
            $0.stridePlacement = .firstConvolution
            $0.widthMultiplier = 0.25
        }
        let block = try #require(model.stages[2][0] as? BasicBlock)
        #expect(block.conv1.geometry.stride.height == 2 && block.conv2.geometry.stride.height == 1)
    }

    @Test func averagePoolShortcutPoolsOnlyWhenStriding() {
        let model = makeModel("resnet50d", classes: 10) { $0.widthMultiplier = 0.25 }
        let first = model.stages[0][0].downsample
        let second = model.stages[1][0].downsample
        #expect(first?.stride == 1 && first?.convolution.geometry.stride.height == 1)
        #expect(second?.stride == 2 && second?.convolution.geometry.stride.height == 1)
        let input = randomImages(count: 1, channels: 64, size: 7, seed: 8)
        #expect(second.map { $0(input).shape } == [1, 128, 4, 4])
    }

    @Test func sameSeedGivesTheSameWeights() {
        let first = makeModel("resnet18", classes: 10, seed: 9) { $0.widthMultiplier = 0.25 }.namedParameters()
        let second = makeModel("resnet18", classes: 10, seed: 9) { $0.widthMultiplier = 0.25 }.namedParameters()
        for (left, right) in zip(first, second) {
            #expect(left.parameter.value.scalars == right.parameter.value.scalars, "\(left.path)")
        }
    }
}
