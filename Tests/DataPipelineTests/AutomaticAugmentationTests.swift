@testable import DataPipeline
import Testing

/// Parsing timm's `--aa` strings: the recipes' strings, timm's quirks, and errors that name the bad token.
struct AutomaticAugmentationTests {
    @Test func recipeStringsParseToTimmsSettings() throws {
        let hyperparameters = AugmentHyperparameters(fill: .middleGrey, interpolation: .fixed(.bicubic))
        #expect(try AutomaticAugmentation(parsing: "rand-m9-mstd0.5-inc1", hyperparameters: hyperparameters)
            == .randAugment(RandAugment(magnitude: 9, numberOfOperations: 2, increasing: true,
                                        noise: .gaussian(standardDeviation: 0.5), hyperparameters: hyperparameters)))
        #expect(try AutomaticAugmentation(parsing: "rand-m7-mstd0.5-inc1")
            == .randAugment(RandAugment(magnitude: 7, increasing: true, noise: .gaussian(standardDeviation: 0.5))))
        #expect(try AutomaticAugmentation(parsing: "rand-m7-n3") == .randAugment(RandAugment(magnitude: 7, numberOfOperations: 3)))
        #expect(try AutomaticAugmentation(parsing: "rand-m9-mstd101") == .randAugment(RandAugment(magnitude: 9, noise: .uniform)))
        #expect(try AutomaticAugmentation(parsing: "rand") == .randAugment(RandAugment()))
        #expect(try AutomaticAugmentation(parsing: "rand-n1-p0.8-mmax15-m12")
            == .randAugment(RandAugment(magnitude: 12, numberOfOperations: 1, probability: 0.8, magnitudeMaximum: 15)))
        #expect(try AutomaticAugmentation(parsing: "original") == .autoAugment(AutoAugment(policy: .original)))
        #expect(try AutomaticAugmentation(parsing: "v0r") == .autoAugment(AutoAugment(policy: .v0Research)))
        #expect(try AutomaticAugmentation(parsing: "v0-mstd0.5")
            == .autoAugment(AutoAugment(policy: .v0, noise: .gaussian(standardDeviation: 0.5))))
        #expect(try AutomaticAugmentation(parsing: "trivialaugment", hyperparameters: hyperparameters)
            == .trivialAugment(TrivialAugmentWide(interpolation: .fixed(.bicubic), fill: .middleGrey)))
        #expect(try AutomaticAugmentation(parsing: "ta_wide") == .trivialAugment(TrivialAugmentWide(interpolation: .random,
                                                                                                   fill: .imageNetMean)))
    }

    @Test func timmsQuirksAreKept() throws {
        guard case .randAugment(let inc0) = try AutomaticAugmentation(parsing: "rand-m9-inc0") else {
            Issue.record("rand-m9-inc0 is not RandAugment")
            return
        }
        #expect(inc0.operations == RandAugment.increasingOperations, "timm's bool('0') is true")
        guard case .randAugment(let mmax0) = try AutomaticAugmentation(parsing: "rand-mmax0") else {
            Issue.record("rand-mmax0 is not RandAugment")
            return
        }
        #expect(mmax0.magnitudeMaximum == 10, "timm's `magnitude_max or 10`")
        guard case .autoAugment(let wideNoise) = try AutomaticAugmentation(parsing: "original-mstd101") else {
            Issue.record("original-mstd101 is not AutoAugment")
            return
        }
        #expect(wideNoise.noise == .gaussian(standardDeviation: 101), "timm's AutoAugment parser has no uniform rule")
        guard case .randAugment(let weighted) = try AutomaticAugmentation(parsing: "rand-m9-tweights-n3") else {
            Issue.record("rand-m9-tweights-n3 is not RandAugment")
            return
        }
        #expect(weighted.weights == RandAugment.weightedOperations.map(\.weight) && weighted.numberOfOperations == 3)
    }

    @Test func badStringsThrowErrorsNamingTheToken() {
        let cases: [(String, AutomaticAugmentationError, String)] = [
            ("", .empty, "empty"),
            ("randaugment-m9", .unknownScheme(configuration: "randaugment-m9", token: "randaugment"), "'randaugment'"),
            ("rand-m9.5", .badValue(configuration: "rand-m9.5", token: "m9.5", expected: "a whole magnitude such as 'm9'"), "'m9.5'"),
            ("rand-x3", .unknownOption(configuration: "rand-x3", token: "x3", expected: ""), "'x3'"),
            ("rand-m9-mstd", .unknownOption(configuration: "rand-m9-mstd", token: "mstd", expected: ""), "'mstd'"),
            ("rand--m9", .unknownOption(configuration: "rand--m9", token: "", expected: ""), "''"),
            ("rand-m9-m7", .repeatedOption(configuration: "rand-m9-m7", token: "m7"), "'m7'"),
            ("rand-p1.5", .badValue(configuration: "rand-p1.5", token: "p1.5", expected: ""), "'p1.5'"),
            ("rand-mstd0.5x", .badValue(configuration: "rand-mstd0.5x", token: "mstd0.5x", expected: ""), "'mstd0.5x'"),
            ("rand-w0", .unsupported(configuration: "rand-w0", token: "w0", reason: ""), "'tweights'"),
            ("rand-t3a", .unsupported(configuration: "rand-t3a", token: "t3a", reason: ""), "'t3a'"),
            ("rand-tfoo", .badValue(configuration: "rand-tfoo", token: "tfoo", expected: ""), "'tfoo'"),
            ("original-m9", .unknownOption(configuration: "original-m9", token: "m9", expected: ""), "'mstd<number>'"),
            ("augmix-m3", .unsupported(configuration: "augmix-m3", token: "augmix", reason: ""), "'augmix'"),
            ("ta_wide-m3", .unknownOption(configuration: "ta_wide-m3", token: "m3", expected: ""), "'m3'"),
        ]
        for (configuration, expected, fragment) in cases {
            do {
                _ = try AutomaticAugmentation(parsing: configuration)
                Issue.record("'\(configuration)' parsed")
            } catch {
                #expect(Self.sameKind(error, expected), "'\(configuration)': \(error)")
                #expect(error.description.contains(fragment), "'\(configuration)': \(error)")
                if !configuration.isEmpty { #expect(error.description.contains("'\(configuration)'")) }
            }
        }
    }

    /// Whether two errors are the same case with the same token (the explanatory text aside).
    private static func sameKind(_ error: AutomaticAugmentationError, _ expected: AutomaticAugmentationError) -> Bool {
        switch (error, expected) {
        case (.empty, .empty): true
        case let (.unknownScheme(_, token), .unknownScheme(_, expectedToken)): token == expectedToken
        case let (.unsupported(_, token, _), .unsupported(_, expectedToken, _)): token == expectedToken
        case let (.unknownOption(_, token, _), .unknownOption(_, expectedToken, _)): token == expectedToken
        case let (.badValue(_, token, _), .badValue(_, expectedToken, _)): token == expectedToken
        case let (.repeatedOption(_, token), .repeatedOption(_, expectedToken)): token == expectedToken
        default: false
        }
    }

    @Test func parsedAugmentationAugmentsDeterministically() throws {
        let image = ByteImage(width: 10, height: 8, channels: 3, pixels: (0..<240).map { UInt8(($0 * 29) % 233) })
        for configuration in ["rand-m9-mstd0.5-inc1", "original", "trivialaugment"] {
            let augmentation = try AutomaticAugmentation(parsing: configuration)
            let outputs = (0..<30).map { augmentation.apply(to: image, seed: 1, epoch: 0, index: $0) }
            #expect(outputs == (0..<30).map { augmentation.apply(to: image, seed: 1, epoch: 0, index: $0) })
            #expect(outputs.filter { $0 != image }.count > 10, "\(configuration)")
        }
    }
}
