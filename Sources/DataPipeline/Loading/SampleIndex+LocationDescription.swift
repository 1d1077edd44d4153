extension SampleIndex {
    /// Where sample `index` lives, as a person would look for it: a file path, or `shard.tar @ offset` for a tar member.
    public func locationDescription(at index: Int) -> String {
        switch location(at: index) {
        case .file(let url): url.path
        case .tarMember(let shard, let offset, _): "\(shard.path) @ byte \(offset)"
        case .memory(let position): "in-memory image \(position)"
        }
    }
}
