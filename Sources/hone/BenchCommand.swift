import ArgumentParser
import CPUBackend
import Foundation
import TensorCore

/// `hone bench`: speed measurements of Hone's kernels against the machine's ceiling.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Hone's speed.",
        subcommands: [TrainBenchmark.self, InferBenchmark.self, ConvolutionsBenchmark.self, LoaderBenchmark.self]
    )
}

/// `hone bench convolutions`: GFLOP/s of every ResNet-50 convolution, forward and both backward passes.
///
/// The stem's backward-data is left out: training never computes the input image's
/// gradient, so its (slow, C = 3) kernel is not part of Hone's step.
struct ConvolutionsBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convolutions",
        abstract: "GFLOP/s of ResNet-50's convolutions (forward, backward-data, backward-weights) beside the SGEMM ceiling."
    )

    @Option(help: "Images per batch.") var batch = 32
    @Option(help: "Image size in pixels.") var size = 224
    @Option(help: "Element types, comma separated (f32, bf16).") var dtypes = "f32,bf16"
    @Option(help: "Timed runs per layer and pass (the median is reported).") var repeats = 3
    @Option(help: "Only the first N distinct layers (all when absent).") var layers: Int?
    @Flag(help: "Print one JSON object per line instead of a table.") var json = false
    @OptionGroup var backendOptions: BackendOptions

    func run() throws {
        let backend = backendOptions.makeBackend()
        let types = try dtypes.split(separator: ",").map { name -> DType in
            switch name.trimmingCharacters(in: .whitespaces) {
            case "f32", "float32": return .float32
            case "bf16", "bfloat16": return .bfloat16
            default: throw ValidationError("--dtypes: unknown type '\(name)'; expected f32 or bf16")
            }
        }
        var selected = ResNet50Convolutions.layers(batch: batch, size: size)
        if let layers { selected = Array(selected.prefix(layers)) }
        let ceiling = backend.measureSGEMM()
        if !json {
            print("ResNet-50 convolutions, batch \(batch), \(size) px, \(backend.threadCount) threads; "
                  + String(format: "SGEMM ceiling %.0f GFLOP/s", ceiling))
        } else {
            print(#"{"layer": "sgemm-ceiling", "gflops": \#(String(format: "%.1f", ceiling))}"#)
        }
        for dtype in types {
            var totalFlops: [CPUBackend.ConvolutionPass: Double] = [:]
            var totalSeconds: [CPUBackend.ConvolutionPass: Double] = [:]
            for layer in selected {
                for pass in CPUBackend.ConvolutionPass.allCases where !(pass == .backwardData && layer.isStem) {
                    let times = backend.timeConvolution(pass: pass, inputShape: layer.inputShape,
                                                        weightShape: layer.weightShape, geometry: layer.geometry,
                                                        dtype: dtype, repeats: repeats).sorted()
                    let seconds = times[times.count / 2]
                    let flops = 2 * Double(layer.multiplyAccumulates)
                    totalFlops[pass, default: 0] += flops * Double(layer.count)
                    totalSeconds[pass, default: 0] += seconds * Double(layer.count)
                    emit(layer: layer.label, dtype: dtype, pass: pass, gflops: flops / seconds / 1e9,
                         seconds: seconds, count: layer.count)
                }
            }
            for pass in CPUBackend.ConvolutionPass.allCases {
                let gflops = totalFlops[pass, default: 0] / totalSeconds[pass, default: 1] / 1e9
                emit(layer: "total", dtype: dtype, pass: pass, gflops: gflops, seconds: totalSeconds[pass, default: 0],
                     count: selected.reduce(0) { $0 + $1.count })
                if !json {
                    print(String(format: "  %@ %@ total: %.0f GFLOP/s = %.0f%% of the SGEMM ceiling",
                                 dtype.description, pass.rawValue, gflops, 100 * gflops / ceiling))
                }
            }
        }
    }

    private func emit(layer: String, dtype: DType, pass: CPUBackend.ConvolutionPass, gflops: Double, seconds: Double,
                      count: Int) {
        if json {
            print(#"{"layer": "\#(layer)", "dtype": "\#(dtype)", "pass": "\#(pass.rawValue)", "#
                  + String(format: #""gflops": %.1f, "seconds": %.6f, "count": %d}"#, gflops, seconds, count))
        } else if layer != "total" {
            let name = layer.padding(toLength: 30, withPad: " ", startingAt: 0)
            let passName = pass.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)
            print(name + " " + dtype.description.padding(toLength: 5, withPad: " ", startingAt: 0) + passName
                  + String(format: "%7.1f GFLOP/s  ×%d", gflops, count))
        }
    }
}
