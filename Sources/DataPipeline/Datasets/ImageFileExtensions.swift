/// The file-name extensions that mark a file as an image when a data set is indexed.
///
/// The list is torchvision's `IMG_EXTENSIONS` (`datasets/folder.py`), compared
/// case-insensitively as torchvision does (`filename.lower().endswith(...)`),
/// so a folder indexes to the same files in Hone and in PyTorch. The extension
/// only selects files: decoders sniff the real format from the bytes.
public enum ImageFileExtensions {
    /// torchvision's image extensions, lowercase, with the leading dot.
    public static let torchvision = [".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp"]

    /// Whether `fileName` ends with one of `extensions` (given lowercase, with the dot), ignoring case.
    public static func matches(_ fileName: String, extensions: [String] = torchvision) -> Bool {
        let lowered = fileName.lowercased()
        return extensions.contains { lowered.hasSuffix($0) }
    }
}
