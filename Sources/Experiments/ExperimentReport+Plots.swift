import Plotting

extension ExperimentReport {
    /// One SVG chart of the report.
    public struct Plot: Sendable {
        public var fileName: String
        public var title: String
        public var svg: String
    }

    /// The charts' file names and titles, in the order the report shows them.
    static let plotFiles = [
        (fileName: "top1-per-epoch.svg", title: "Test top-1 per epoch"),
        (fileName: "learning-rate.svg", title: "Learning rate per epoch"),
        (fileName: "final-top1.svg", title: "Final top-1 per cell"),
    ]

    /// The report's charts: top-1 per epoch per cell, the learning rate per epoch per cell, final top-1 with error bars.
    ///
    /// Curves are means over each cell's finished seeds; cells without a finished run have no
    /// curve and no point, but keep their place on the final chart's axis so gaps show.
    public func plots() -> [Plot] {
        let curves = cells.filter { !$0.summaries.isEmpty }
        let top1 = LinePlot(
            title: "\(experiment.name): test top-1 per epoch (mean over seeds)", xLabel: "epoch", yLabel: "top-1 (%)",
            series: curves.map { result in
                LinePlot.Series(name: result.cell.name,
                                points: result.meanTop1PerEpoch.map { (Double($0.epoch), $0.value) })
            })
        let learningRate = LinePlot(
            title: "\(experiment.name): learning rate at the end of each epoch", xLabel: "epoch", yLabel: "learning rate",
            series: curves.map { result in
                LinePlot.Series(name: result.cell.name,
                                points: result.meanLearningRatePerEpoch.map { (Double($0.epoch), $0.value) })
            })
        let final = PointPlot(
            title: "\(experiment.name): final top-1, mean ± std over seeds", xLabel: "cell", yLabel: "top-1 (%)",
            points: cells.map { result in
                PointPlot.Point(category: result.cell.name, mean: SampleStatistics.mean(result.top1) ?? .nan,
                                standardDeviation: SampleStatistics.standardDeviation(result.top1) ?? 0)
            })
        return zip(Self.plotFiles, [top1.svg(), learningRate.svg(), final.svg()]).map { file, svg in
            Plot(fileName: file.fileName, title: file.title, svg: svg)
        }
    }
}
