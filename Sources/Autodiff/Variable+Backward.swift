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
    ///
    /// `leafFinished` is called with a leaf's `gradientIdentifier` as soon as its
    /// gradient for this pass is complete (accumulated), while backward goes on with
    /// the earlier layers: data-parallel training starts a bucket's all-reduce there.
    /// The traversal reaches a parameter right after the last op that used it, so the
    /// classifier's gradients are finished first and the stem's last.
    public func backward(seed: Tensor? = nil, retainingGraph: Bool = false,
                         leafFinished: ((ObjectIdentifier) -> Void)? = nil) {
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
                leafFinished?(ObjectIdentifier(current))
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
    ///
    /// A depth-first post-order that visits an op's inputs computed by ops first (in
    /// input order) and its leaves last, so that in reverse a leaf comes right after
    /// the op that used it: its gradient is complete early in backward, not after the
    /// whole network below it.
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
            let inputs = (node.record?.inputs ?? []).filter { $0.requiresGradient && !visited.contains(ObjectIdentifier($0)) }
            for input in inputs where input.record == nil { stack.append((input, false)) }
            for input in inputs.reversed() where input.record != nil { stack.append((input, false)) }
        }
        return order
    }
}
