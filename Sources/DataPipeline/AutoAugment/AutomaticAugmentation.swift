/// The automatic augmentation a recipe names with timm's `--aa` string: RandAugment, AutoAugment or TrivialAugment.
///
/// Shapes: parsed once, at the edge, from the string; then one value that
/// augments an image for (seed, epoch, sample index). The grammar is timm's
/// `rand_augment_transform` and `auto_augment_transform`: dash-separated tokens,
/// the first naming the scheme, each later one a key followed by a number.
/// RandAugment (`rand`) takes `m` (integer magnitude, default 10), `n` (ops per
/// image, default 2), `p` (op probability, default 0.5), `mstd` (magnitude noise;
/// above 100 means uniform), `mmax` (magnitude clip, default 10; 0 means 10, as
/// timm's `or` has it), `inc` (the increasing ops — any number turns them on, as
/// timm's `bool('0')` is true) and `tweights` (timm's weighted op set). AutoAugment
/// (`original`, `originalr`, `v0`, `v0r`) takes `mstd` only. `trivialaugment` or
/// `ta_wide` takes nothing. Where timm silently ignores a token (no digit, an
/// unknown op-set name), this parser throws instead.
public enum AutomaticAugmentation: Sendable, Equatable {
    /// timm's RandAugment.
    case randAugment(RandAugment)
    /// timm's AutoAugment with a learned policy.
    case autoAugment(AutoAugment)
    /// torchvision's TrivialAugmentWide.
    case trivialAugment(TrivialAugmentWide)

    /// The augmentation `configuration` names, with `hyperparameters` for fill, filter and translate sizes.
    ///
    /// TrivialAugment takes its fill and filter from `hyperparameters` too, so one
    /// recipe setting governs every scheme; pass `.black` and `.fixed(.nearest)` for
    /// torchvision's own defaults.
    public init(parsing configuration: String,
                hyperparameters: AugmentHyperparameters = .timmDefaults) throws(AutomaticAugmentationError) {
        guard !configuration.isEmpty else { throw .empty }
        let tokens = configuration.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        let scheme = tokens[0]
        let options = Array(tokens.dropFirst())
        if scheme == "rand" {
            self = .randAugment(try Self.parseRandAugment(options, configuration: configuration,
                                                          hyperparameters: hyperparameters))
        } else if let policy = AutoAugmentPolicy(rawValue: scheme) {
            self = .autoAugment(try Self.parseAutoAugment(policy, options, configuration: configuration,
                                                          hyperparameters: hyperparameters))
        } else if scheme == "trivialaugment" || scheme == "ta_wide" {
            if let extra = options.first {
                throw .unknownOption(configuration: configuration, token: extra, expected: "no options after '\(scheme)'")
            }
            self = .trivialAugment(TrivialAugmentWide(interpolation: hyperparameters.interpolation,
                                                      fill: hyperparameters.fill))
        } else if scheme == "3a" || scheme == "augmix" {
            throw .unsupported(configuration: configuration, token: scheme,
                               reason: "timm's '\(scheme)' is not implemented; use 'rand', 'original', 'v0' or 'trivialaugment'")
        } else {
            throw .unknownScheme(configuration: configuration, token: scheme)
        }
    }

    /// Sample `index`'s `image` in `epoch` after this augmentation.
    public func apply(to image: ByteImage, seed: UInt64, epoch: Int, index: Int) -> ByteImage {
        switch self {
        case .randAugment(let augmentation): augmentation.apply(to: image, seed: seed, epoch: epoch, index: index)
        case .autoAugment(let augmentation): augmentation.apply(to: image, seed: seed, epoch: epoch, index: index)
        case .trivialAugment(let augmentation): augmentation.apply(to: image, seed: seed, epoch: epoch, index: index)
        }
    }

    /// A token split as timm's `re.split(r'(\d.*)', token)` does: the letters before the first digit, and the rest.
    private static func keyAndValue(_ token: String) -> (key: String, value: String)? {
        guard let digit = token.firstIndex(where: { $0.isASCII && $0.isNumber }) else { return nil }
        return (String(token[..<digit]), String(token[digit...]))
    }

    /// What a RandAugment option token may be, for error messages.
    private static let randOptions = "'m<int>', 'n<int>', 'p<0...1>', 'mstd<number>', 'mmax<int>', 'inc<int>' or 'tweights'"

    /// RandAugment from the tokens after `rand`.
    private static func parseRandAugment(_ options: [String], configuration: String,
                                         hyperparameters: AugmentHyperparameters) throws(AutomaticAugmentationError)
        -> RandAugment {
        var magnitude = 10
        var count = 2
        var probability = 0.5
        var noise = MagnitudeNoise.none
        var maximum = AugmentOperation.levelDenominator
        var increasing = false
        var weighted = false
        var seen: Set<String> = []
        for token in options {
            if token.hasPrefix("t") {
                let name = String(token.dropFirst())
                guard seen.insert("t").inserted else { throw .repeatedOption(configuration: configuration, token: token) }
                switch name {
                case "weights": weighted = true
                case "3a", "3aw":
                    throw .unsupported(configuration: configuration, token: token,
                                       reason: "the 3-Augment op sets need timm's Desaturate and GaussianBlur ops, which are not implemented")
                default:
                    throw .badValue(configuration: configuration, token: token, expected: "the op set 'tweights'")
                }
                continue
            }
            guard let (key, value) = keyAndValue(token) else {
                throw .unknownOption(configuration: configuration, token: token, expected: randOptions)
            }
            guard seen.insert(key).inserted else { throw .repeatedOption(configuration: configuration, token: token) }
            switch key {
            case "m":
                guard let parsed = Int(value), parsed >= 0 else {
                    throw .badValue(configuration: configuration, token: token, expected: "a whole magnitude such as 'm9'")
                }
                magnitude = parsed
            case "n":
                guard let parsed = Int(value), parsed >= 0 else {
                    throw .badValue(configuration: configuration, token: token, expected: "a whole op count such as 'n2'")
                }
                count = parsed
            case "p":
                guard let parsed = Double(value), (0...1).contains(parsed) else {
                    throw .badValue(configuration: configuration, token: token, expected: "a probability in 0...1 such as 'p0.5'")
                }
                probability = parsed
            case "mstd":
                guard let parsed = Double(value), parsed.isFinite else {
                    throw .badValue(configuration: configuration, token: token, expected: "a standard deviation such as 'mstd0.5'")
                }
                noise = MagnitudeNoise(timmStandardDeviation: parsed)
            case "mmax":
                guard let parsed = Int(value), parsed >= 0 else {
                    throw .badValue(configuration: configuration, token: token, expected: "a whole magnitude clip such as 'mmax10'")
                }
                maximum = parsed == 0 ? AugmentOperation.levelDenominator : Double(parsed)
            case "inc":
                guard Int(value) != nil else {
                    throw .badValue(configuration: configuration, token: token, expected: "'inc1'")
                }
                increasing = true
            case "w":
                throw .unsupported(configuration: configuration, token: token,
                                   reason: "timm replaced the 'w' key by 'tweights', which is not the same op set")
            default:
                throw .unknownOption(configuration: configuration, token: token, expected: randOptions)
            }
        }
        if weighted {
            let weights = RandAugment.weightedOperations
            guard count <= weights.count else {
                throw .badValue(configuration: configuration, token: "n\(count)",
                                expected: "at most \(weights.count) ops, as 'tweights' picks without replacement")
            }
            return RandAugment(operations: weights.map(\.operation), weights: weights.map(\.weight),
                               numberOfOperations: count, magnitude: Double(magnitude), probability: probability,
                               noise: noise, magnitudeMaximum: maximum, hyperparameters: hyperparameters)
        }
        return RandAugment(magnitude: Double(magnitude), numberOfOperations: count, increasing: increasing,
                           probability: probability, noise: noise, magnitudeMaximum: maximum,
                           hyperparameters: hyperparameters)
    }

    /// AutoAugment from the tokens after the policy name.
    ///
    /// timm's AutoAugment parser keeps `mstd` as a number (no "above 100 is
    /// uniform" rule), so any positive value is a Gaussian.
    private static func parseAutoAugment(_ policy: AutoAugmentPolicy, _ options: [String], configuration: String,
                                         hyperparameters: AugmentHyperparameters) throws(AutomaticAugmentationError)
        -> AutoAugment {
        var noise = MagnitudeNoise.none
        var seen = false
        for token in options {
            guard let (key, value) = keyAndValue(token), key == "mstd" else {
                throw .unknownOption(configuration: configuration, token: token, expected: "'mstd<number>' only")
            }
            guard !seen else { throw .repeatedOption(configuration: configuration, token: token) }
            seen = true
            guard let parsed = Double(value), parsed.isFinite else {
                throw .badValue(configuration: configuration, token: token, expected: "a standard deviation such as 'mstd0.5'")
            }
            noise = parsed > 0 ? .gaussian(standardDeviation: parsed) : .none
        }
        return AutoAugment(policy: policy, noise: noise, hyperparameters: hyperparameters)
    }
}
