extension String {
    /// Whether `self` sorts before `other` when both are compared byte by byte in UTF-8.
    ///
    /// Byte order of UTF-8 equals code-point order, which is how Python's `sorted`
    /// orders `str` (and so how torchvision orders class folders and files). Swift's
    /// own `<` compares canonically equivalent Unicode, which can order names
    /// differently, so data-set indexes use this order to agree across machines
    /// and with PyTorch.
    func precedesByteWise(_ other: String) -> Bool {
        utf8.lexicographicallyPrecedes(other.utf8)
    }
}
