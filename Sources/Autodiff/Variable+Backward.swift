import TensorCore

extension Variable {
    /// Back-propagates from this variable and accumulates gradients into every leaf that requires one.
    ///
    /// `seed` is the gradient of this variable (ones when nil, the usual case of a
    /// scalar loss). Gradients of a variable used several times are summed before
    /// its own pullback runs, so each pullback runs exactly once.
    ///
    /// Unless `retainingGraph` is set, each op's record (its inputs and the tensors
    /// its pullback saved) is dropped right after the pullback runs, which is what
    /// lets the activations of the late layers go while the early ones are still
    /// being differentiated; a second backward through the same ops is then a
    /// programming error and stops with a message, as in PyTorch.
    public func backward(seed: Tensor? = nil, retainingGraph: Bool = false) {
        precondition(requiresGradient, "backward from a variable that does not depend on any trainable leaf")
        var order = node.topologicalOrder()
        var pending: [ObjectIdentifier: Tensor] = [:]
        pending[ObjectIdentifier(node)] = seed ?? Tensor(repeating: 1, shape: shape, dtype: dtype)
        while let current = order.popLast() {
            guard let gradientOfNode = pending.removeValue(forKey: ObjectIdentifier(current)) else { continue }
            precondition(
                !current.recordReleased,
                "backward through ops whose records an earlier backward already released; "
                    + "pass retainingGraph: true to the earlier one"
            )
            guard let record = current.record else {
                current.accumulateGradient(gradientOfNode)
                continue
            }
            if !retainingGraph {
                current.record = nil
                current.recordReleased = true
            }
            let gradients = record.pullback(gradientOfNode)
            precondition(gradients.count == record.inputs.count, "pullback returned \(gradients.count) gradients")
            for (input, gradient) in zip(record.inputs, gradients) where input.requiresGradient {
                guard let gradient else { preconditionFailure("pullback skipped an input that requires a gradient") }
                let key = ObjectIdentifier(input)
                if let existing = pending[key] {
                    pending[key] = Compute.backend.add(existing, gradient)
                } else {
                    pending[key] = gradient
                }
            }
        }
    }
}

extension TapeNode {
    /// Every node this one depends on that requires a gradient, inputs before the ops that use them.
    func topologicalOrder() -> [TapeNode] {
        var order: [TapeNode] = []
        var visited: Set<ObjectIdentifier> = []
        var stack: [(TapeNode, Bool)] = [(self, false)]
        while let (node, inputsDone) = stack.popLast() {
            if inputsDone {
                order.append(node)
                continue
            }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for input in node.record?.inputs ?? [] where input.requiresGradient {
                if !visited.contains(ObjectIdentifier(input)) { stack.append((input, false)) }
            }
        }
        return order
    }
}
