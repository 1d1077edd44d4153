import Autodiff
import TensorCore
import Testing
import TestSupport

/// `backward(leafFinished:)`: each parameter reported once, as soon as its gradient is complete, last layer first.
///
/// Data-parallel training starts a bucket's all-reduce from this callback while
/// backward computes the earlier layers, so the order and the completeness of the
/// gradient at the moment of the call are what matters.
@Suite struct LeafFinishedTests {
    @Test func parametersAreReportedLastLayerFirstWithTheirFinalGradients() {
        _ = testBackend
        let input = Variable(ReferenceTensor.random(shape: [4, 6], seed: 900).tensor())
        let first = Variable(ReferenceTensor.random(shape: [5, 6], seed: 901).tensor(), requiresGradient: true)
        let firstBias = Variable(ReferenceTensor.random(shape: [5], seed: 902).tensor(), requiresGradient: true)
        let second = Variable(ReferenceTensor.random(shape: [3, 5], seed: 903).tensor(), requiresGradient: true)
        let secondBias = Variable(ReferenceTensor.random(shape: [3], seed: 904).tensor(), requiresGradient: true)
        let hidden = relu(linear(input, weight: first, bias: firstBias))
        // `first` is used twice, so its gradient is complete only after both uses.
        let output = linear(hidden, weight: second, bias: secondBias) + linear(hidden, weight: second, bias: secondBias)
        let loss = sum(output)
        let names = [first.gradientIdentifier: "first", firstBias.gradientIdentifier: "firstBias",
                     second.gradientIdentifier: "second", secondBias.gradientIdentifier: "secondBias"]
        var reported: [(name: String, gradient: [Float])] = []
        let variables = ["first": first, "firstBias": firstBias, "second": second, "secondBias": secondBias]
        loss.backward(leafFinished: { identifier in
            let name = names[identifier]!
            reported.append((name, variables[name]!.gradient!.scalars))
        })
        #expect(reported.map(\.name).sorted() == ["first", "firstBias", "second", "secondBias"])
        let order = reported.map(\.name)
        #expect(order.firstIndex(of: "second")! < order.firstIndex(of: "first")!)
        #expect(order.firstIndex(of: "secondBias")! < order.firstIndex(of: "firstBias")!)
        for entry in reported {
            #expect(entry.gradient == variables[entry.name]!.gradient!.scalars, "\(entry.name) changed after its report")
        }
    }

    /// In a deep chain the first layer's parameters come last and the last layer's first: the order buckets assume.
    @Test func aChainReportsItsParametersInReverseLayerOrder() {
        _ = testBackend
        var activation = Variable(ReferenceTensor.random(shape: [2, 4], seed: 910).tensor())
        var weights: [Variable] = []
        for layer in 0..<5 {
            let weight = Variable(ReferenceTensor.random(shape: [4, 4], seed: UInt64(911 + layer)).tensor(),
                                  requiresGradient: true)
            weights.append(weight)
            activation = relu(linear(activation, weight: weight))
        }
        var order: [ObjectIdentifier] = []
        sum(activation).backward(leafFinished: { order.append($0) })
        #expect(order == weights.reversed().map(\.gradientIdentifier))
    }
}
