import Models

/// Parameter counts worked out from the architecture's definition alone, independent of the model code.
///
/// Why: building a full-width ResNet-152 takes most of a minute in a debug build (its
/// 60 M weights are drawn twice), so the tests check this arithmetic against timm's
/// published counts for every id, and the built models against this arithmetic at a
/// reduced width, where they are cheap.
enum ParameterArithmetic {
    static func count(_ configuration: ResNetConfiguration) -> Int {
        let input = configuration.inputChannels
        let stem = configuration.stemChannels
        var total: Int
        switch configuration.stem {
        case .classic: total = input * stem * 49 + 2 * stem
        case .smallImage: total = input * stem * 9 + 2 * stem
        case .deep:
            let inner = configuration.scaled(32)
            total = input * inner * 9 + 2 * inner + inner * inner * 9 + 2 * inner + inner * stem * 9 + 2 * stem
        }
        var channels = stem
        let expansion = configuration.depth.block.expansion
        for (stage, (width, blocks)) in zip(configuration.stageWidths, configuration.depth.blocksPerStage).enumerated() {
            for block in 0..<blocks {
                let output = width * expansion
                switch configuration.depth.block {
                case .basic:
                    total += channels * width * 9 + 2 * width + width * width * 9 + 2 * width
                case .bottleneck:
                    total += channels * width + 2 * width + width * width * 9 + 2 * width + width * output + 2 * output
                }
                if (stage > 0 && block == 0) || channels != output { total += channels * output + 2 * output }
                channels = output
            }
        }
        return total + channels * configuration.classes + configuration.classes
    }
}
