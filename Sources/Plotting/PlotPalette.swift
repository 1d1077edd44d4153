/// The colours and dash patterns that tell series apart.
///
/// Ten well-separated colours (the "Tableau 10" set that matplotlib uses by default);
/// from the eleventh series on the colours repeat with a dash pattern, so no two
/// series look alike.
///
/// Readers of experiment reports recognise this set, and it stays distinguishable for
/// the common forms of colour blindness better than fully saturated hues.
enum PlotPalette {
    static let colours = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ]
    static let dashes: [String?] = [nil, "6 3", "2 2", "8 3 2 3"]

    static func colour(forSeries index: Int) -> String {
        colours[index % colours.count]
    }

    static func dash(forSeries index: Int) -> String? {
        dashes[(index / colours.count) % dashes.count]
    }
}
