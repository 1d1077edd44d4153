import CPUBackend
import Foundation

/// Times a step function the way `hone bench train` and `hone bench infer` report it.
///
/// Runs `warmup` untimed steps, then `steps` timed ones (the median is the figure:
/// these machines are shared and noisy), then measures oneDNN's f32 SGEMM in the
/// same process as the ceiling, and with `--profile` runs `steps` more steps with
/// every primitive timed. Peak memory is the process's peak resident set size
/// (`getrusage`), which includes the weights, optimizer state and allocator slack.
struct StepBenchmark {
    enum Mode: String { case train, infer }

    let mode: Mode
    let options: StepBenchmarkOptions
    let backend: CPUBackend
    let multiplyAccumulates: Int

    func run(step: () -> Void) {
        for _ in 0..<options.warmup { step() }
        var seconds: [Double] = []
        for _ in 0..<options.steps {
            let start = DispatchTime.now().uptimeNanoseconds
            step()
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let peakResidentBytes = Self.peakResidentBytes()
        let median = seconds.sorted()[seconds.count / 2]
        var profile: KernelProfile?
        if options.profile {
            backend.startProfiling()
            for _ in 0..<options.steps { step() }
            profile = backend.finishProfiling()
        }
        let ceiling = backend.measureSGEMM()
        let passes = mode == .train ? 3.0 : 1.0
        let imagesPerSecond = Double(options.batch) / median
        let gflops = imagesPerSecond * 2 * Double(multiplyAccumulates) * passes / 1e9
        if options.json {
            print(json(median: median, imagesPerSecond: imagesPerSecond, gflops: gflops, ceiling: ceiling,
                       peakResidentBytes: peakResidentBytes))
        } else {
            print(String(format: "%@ %@ %d px, batch %d, %@, %d threads: %.2f img/s (median step %.3f s of %d), "
                         + "%.1f GFLOP/s = %.0f%% of SGEMM %.1f GFLOP/s; peak RSS %.0f MiB",
                         mode.rawValue, options.model, options.size, options.batch, options.dtype,
                         backend.threadCount, imagesPerSecond, median, options.steps, gflops, 100 * gflops / ceiling,
                         ceiling, Double(peakResidentBytes) / 1_048_576))
        }
        if let profile { printProfile(profile, stepSeconds: median) }
    }

    private func json(median: Double, imagesPerSecond: Double, gflops: Double, ceiling: Double,
                      peakResidentBytes: Int) -> String {
        let fields: [(String, String)] = [
            ("mode", quoted(mode.rawValue)), ("model", quoted(options.model)), ("size", "\(options.size)"),
            ("batch", "\(options.batch)"), ("dtype", quoted(options.dtype)), ("threads", "\(backend.threadCount)"),
            ("stem", options.stem.map(quoted) ?? "null"), ("width", "\(options.width)"),
            ("channels", "\(options.channels)"), ("classes", "\(options.classes)"),
            ("warmup", "\(options.warmup)"), ("steps", "\(options.steps)"),
            ("step_seconds_median", String(format: "%.6f", median)),
            ("images_per_second", String(format: "%.3f", imagesPerSecond)),
            ("gflops", String(format: "%.2f", gflops)), ("ceiling_gflops", String(format: "%.2f", ceiling)),
            ("percent_of_ceiling", String(format: "%.1f", 100 * gflops / ceiling)),
            ("peak_rss_bytes", "\(peakResidentBytes)"), ("macs_per_image", "\(multiplyAccumulates)"),
        ]
        return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    private func quoted(_ text: String) -> String { "\"\(text)\"" }

    /// Where one step's time goes: each primitive kind's milliseconds and calls per step, and the rest.
    private func printProfile(_ profile: KernelProfile, stepSeconds: Double) {
        let stepCount = Double(options.steps)
        let output: (String) -> Void = { line in
            if options.json {
                FileHandle.standardError.write(Data((line + "\n").utf8))
            } else {
                print(line)
            }
        }
        output(String(format: "profile over %d steps (median step %.1f ms):", options.steps, stepSeconds * 1000))
        output("  kind                                 ms/step  calls/step  % of step")
        var rows = profile.entries.map { ($0.name, $0.seconds / stepCount, Double($0.calls) / stepCount) }
        rows.append(("outside oneDNN (Swift, allocation)", max(stepSeconds - profile.totalSeconds / stepCount, 0), 0))
        for (name, seconds, calls) in rows {
            output("  " + name.padding(toLength: 37, withPad: " ", startingAt: 0)
                   + String(format: "%7.1f  %10.1f  %8.1f %%", seconds * 1000, calls, 100 * seconds / stepSeconds))
        }
    }

    /// The process's peak resident set size in bytes (Linux reports `ru_maxrss` in KiB).
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }
}
