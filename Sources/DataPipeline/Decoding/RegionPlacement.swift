/// Where `ImageDecoder.decode(_:path:options:region:placement:)` puts the decoded window.
///
/// A random crop at full scale wants the window on its own (the crop is then the
/// whole of it); a resize with a fractional box, the reduced-scale path, reads the
/// box in the whole picture's coordinates, so it wants the window left where it is.
public enum RegionPlacement: Equatable, Hashable, Sendable {
    /// The window alone: a `window.width × window.height` image.
    case cropped
    /// The window at its place in an image of the whole decoded size; the pixels
    /// outside the window are unspecified (zero, or the image's own when the whole
    /// image had to be decoded), so a consumer must read only inside the window.
    case inPlace
}
