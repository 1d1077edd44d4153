/// Why a WebDataset shard could not be read or indexed.
///
/// Sample-level cases name the shard and the sample's key; archive-level
/// problems (truncation, corruption) arrive as `.tar` with the byte offset.
public enum WebDatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The shard is missing, unreadable, truncated or not a valid tar archive.
    case tar(TarError)
    /// A sample has no image member; `extensions` lists the members it has.
    case missingImage(shard: String, key: String, extensions: [String])
    /// A sample has no `.cls` member; `extensions` lists the members it has.
    case missingLabel(shard: String, key: String, extensions: [String])
    /// A sample has two image members.
    case multipleImages(shard: String, key: String, extensions: [String])
    /// A sample has two members with the same extension.
    case duplicateMember(shard: String, key: String, fileExtension: String)
    /// A `.cls` member does not hold a non-negative decimal integer.
    case badLabel(shard: String, key: String, text: String)
    /// A class id is not below the number of class names given.
    case labelOutOfRange(shard: String, key: String, label: Int, classCount: Int)
    /// The shards hold no sample at all.
    case noSamples(shards: [String])

    /// A sentence naming the shard, the key and what was expected.
    public var description: String {
        switch self {
        case let .tar(error):
            return error.description
        case let .missingImage(shard, key, extensions):
            return "\(shard): sample \"\(key)\" has no image: expected a member \(key).jpg (or .png, …), "
                + "found \(Self.list(extensions))"
        case let .missingLabel(shard, key, extensions):
            return "\(shard): sample \"\(key)\" has no label: expected a member \(key).cls, found \(Self.list(extensions))"
        case let .multipleImages(shard, key, extensions):
            return "\(shard): sample \"\(key)\" has more than one image (\(Self.list(extensions))): expected exactly one"
        case let .duplicateMember(shard, key, fileExtension):
            return "\(shard): sample \"\(key)\" has two members \(key).\(fileExtension): expected each extension once per sample"
        case let .badLabel(shard, key, text):
            return "\(shard): sample \"\(key)\": \(key).cls holds \"\(text)\", expected a non-negative decimal class id"
        case let .labelOutOfRange(shard, key, label, classCount):
            return "\(shard): sample \"\(key)\": class id \(label) is out of range: expected 0..<\(classCount)"
        case let .noSamples(shards):
            return "no sample found in \(shards.isEmpty ? "an empty list of shards" : shards.joined(separator: ", ")): "
                + "expected members such as key.jpg and key.cls"
        }
    }

    /// Extensions as a readable list, such as `.json, .txt`.
    private static func list(_ extensions: [String]) -> String {
        extensions.isEmpty ? "no member" : extensions.map { "." + $0 }.joined(separator: ", ")
    }
}
