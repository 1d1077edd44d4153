import Layers
import Models
import Testing

/// Parameter and buffer paths are torchvision's (plain ids) and timm's (deep stem, average-pool shortcut).
///
/// Names do not depend on the width, so the models are built at a quarter of it (fast in debug builds).
@Suite struct ParameterNameTests {
    @Test func resnet50UsesTorchvisionNames() {
        let model = makeModel("resnet50", classes: 10) { $0.widthMultiplier = 0.25 }
        let parameters = model.namedParameters().map(\.path)
        let buffers = model.namedBuffers().map(\.path)
        #expect(parameters.count == 161)
        #expect(buffers.count == 159)
        #expect(parameters.first == "conv1.weight")
        #expect(parameters.suffix(2) == ["fc.weight", "fc.bias"])
        for path in ["conv1.weight", "bn1.weight", "bn1.bias", "layer1.0.conv1.weight", "layer1.0.bn1.weight",
                     "layer1.0.conv3.weight", "layer1.0.bn3.bias", "layer1.0.downsample.0.weight",
                     "layer1.0.downsample.1.weight", "layer1.0.downsample.1.bias", "layer2.3.conv2.weight",
                     "layer3.5.bn2.weight", "layer4.0.downsample.0.weight", "layer4.2.conv3.weight", "fc.weight",
                     "fc.bias"] {
            #expect(parameters.contains(path), "\(path)")
        }
        for path in ["bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked",
                     "layer1.0.downsample.1.running_mean", "layer4.2.bn3.running_var",
                     "layer3.5.bn1.num_batches_tracked"] {
            #expect(buffers.contains(path), "\(path)")
        }
        #expect(!parameters.contains("layer1.1.downsample.0.weight"))
        #expect(!parameters.contains("layer2.4.conv1.weight"))
    }

    @Test func resnet50dUsesTimmNames() {
        let model = makeModel("resnet50d", classes: 10) { $0.widthMultiplier = 0.25 }
        let parameters = model.namedParameters().map(\.path)
        let buffers = model.namedBuffers().map(\.path)
        #expect(parameters.prefix(8) == ["conv1.0.weight", "conv1.1.weight", "conv1.1.bias", "conv1.3.weight",
                                         "conv1.4.weight", "conv1.4.bias", "conv1.6.weight", "bn1.weight"])
        for path in ["layer1.0.downsample.1.weight", "layer1.0.downsample.2.weight", "layer1.0.downsample.2.bias",
                     "layer2.0.downsample.1.weight", "layer4.0.downsample.2.weight"] {
            #expect(parameters.contains(path), "\(path)")
        }
        #expect(buffers.contains("conv1.1.running_mean"))
        #expect(buffers.contains("conv1.4.num_batches_tracked"))
        #expect(buffers.contains("layer3.0.downsample.2.running_var"))
        #expect(!parameters.contains { $0.contains("downsample.0") })
        #expect(model.stem.convolutions.map(\.weight.shape) == [[8, 3, 3, 3], [8, 8, 3, 3], [16, 8, 3, 3]])
    }

    @Test func basicBlockModelsUseTorchvisionNames() {
        let parameters = makeModel("resnet18", classes: 10) { $0.widthMultiplier = 0.25 }.namedParameters().map(\.path)
        #expect(parameters.count == 62)
        #expect(parameters.contains("layer2.0.downsample.0.weight"))
        #expect(parameters.contains("layer4.1.bn2.weight"))
        #expect(!parameters.contains("layer1.0.downsample.0.weight"))
        #expect(!parameters.contains { $0.contains("conv3") })
    }
}
