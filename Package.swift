// swift-tools-version: 6.0
import PackageDescription

// Hone: image-classification training in Swift on oneDNN.
// Modules import only modules below them (see ARCHITECTURE.md):
//   hone → Training → Models → Optimizers → Layers → Autodiff → TensorCore; Training → Distributed
//   CPUBackend → TensorCore, CDNNL, CWinograd, CNarrowConvolution (only the CLI and tests pick a concrete backend)
//   Interop → Layers; DataPipeline imports nothing of Hone's; Distributed only Open MPI (CMPI).
let package = Package(
    name: "Hone",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hone", targets: ["hone"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c"),
        .target(name: "CJPEGRegion", path: "Sources/CJPEGRegion", linkerSettings: [.linkedLibrary("jpeg")]),
        .target(name: "CResample", path: "Sources/CResample"),
        .target(name: "CWinograd", path: "Sources/CWinograd", linkerSettings: [.linkedLibrary("gomp")]),
        .target(name: "CNarrowConvolution", path: "Sources/CNarrowConvolution",
                linkerSettings: [.linkedLibrary("gomp")]),
        .target(name: "TensorCore"),
        .target(name: "CPUBackend", dependencies: ["TensorCore", "CDNNL", "CWinograd", "CNarrowConvolution"]),
        .target(name: "Autodiff", dependencies: ["TensorCore"]),
        .target(name: "Layers", dependencies: ["Autodiff", "TensorCore"]),
        .target(name: "Optimizers", dependencies: ["Layers", "TensorCore"]),
        .target(name: "Models", dependencies: ["Layers", "Autodiff", "TensorCore"]),
        .target(name: "Plotting"),
        .target(name: "Recipes", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(
            name: "Training",
            dependencies: [
                "Recipes", "Models", "Optimizers", "Interop", "Layers", "Autodiff", "TensorCore", "DataPipeline", "Distributed",
            ]
        ),
        .target(name: "Experiments", dependencies: ["Training", "Recipes", "Plotting", .product(name: "Yams", package: "Yams")]),
        .target(name: "Interop", dependencies: ["Layers", "TensorCore"]),
        .target(name: "DataPipeline", dependencies: ["CZlib", "CTurboJPEG", "CPNG", "CJPEGRegion", "CResample"]),
        .target(name: "Distributed", dependencies: ["CMPI"]),
        .executableTarget(
            name: "hone",
            dependencies: [
                "Training", "Recipes", "Models", "Optimizers", "Autodiff", "Plotting", "CPUBackend", "TensorCore",
                "DataPipeline", "Experiments", "Distributed",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["TensorCore", "DataPipeline"]),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "TestSupport"]),
        .testTarget(name: "CPUBackendTests", dependencies: ["CPUBackend", "CDNNL", "CWinograd", "CNarrowConvolution", "TensorCore", "TestSupport"]),
        .testTarget(name: "AutodiffTests", dependencies: ["Autodiff", "CPUBackend", "TensorCore", "TestSupport"]),
        .testTarget(name: "InteropTests", dependencies: ["Interop", "TensorCore"]),
        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport", "TensorCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LayersTests", dependencies: ["Layers", "Models", "Optimizers", "Autodiff", "CPUBackend", "TensorCore", "TestSupport"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["Layers", "Autodiff", "Interop", "CPUBackend", "TensorCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Optimizers", "Layers", "Autodiff", "CPUBackend", "TensorCore"]),
        .testTarget(
            name: "OptimizersTests",
            dependencies: ["Optimizers", "Layers", "Autodiff", "CPUBackend", "TensorCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting"]),
        .testTarget(name: "RecipesTests", dependencies: ["Recipes"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Training", "Recipes", "CPUBackend", "TensorCore"]),
        .testTarget(
            name: "TrainingTests",
            dependencies: ["Training", "Recipes", "Models", "Interop", "DataPipeline", "CPUBackend", "TensorCore", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "DistributedTests", dependencies: ["Distributed", "Interop", "TensorCore"]),
        .testTarget(name: "DataPipelineTests", dependencies: ["DataPipeline", "CZlib", "CResample", "TestSupport"], resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)
