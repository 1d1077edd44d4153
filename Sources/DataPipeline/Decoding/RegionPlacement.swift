/// Where `ImageDecoder.decode(_:path:options:region:placement:)` puts the decoded window.
///
/// A caller that wants the pixels themselves takes the window on its own; a crop
/// or a resize with a box, which address the whole picture's coordinates, takes it
/// left where it is, which for an upright JPEG also spares a copy.
public enum RegionPlacement: Equatable, Hashable, Sendable {
    /// The window alone: a `window.width × window.height` image.
    case cropped
    /// The window at its place in an image of the whole decoded size; the pixels
    /// outside the window are unspecified (zero, the decoded margin beside the
    /// window, or the image's own when the whole image had to be decoded), so a
    /// consumer must read only inside the window. Cheapest for an upright JPEG:
    /// libjpeg writes the rows straight into the result.
    case inPlace
}
