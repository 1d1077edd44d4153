import TensorCore

extension Variable {
    /// Back-propagates from this variable and accumulates gradients into every leaf that requires one.
    ///
    /// `seed` is the gradient of this variable (ones when nil, the usual case of a
    /// scalar loss). Gradients of a variable used several times are summed before
    /// its own pullback runs, so each pullback runs exactly once.
    public func backward(seed: Tensor? = nil) {
        precondition(requiresGradient, "backward from a variable that does not depend on any trainable leaf")
        let order = topologicalOrder()
        var pending: [ObjectIdentifier: Tensor] = [:]
        pending[ObjectIdentifier(self)] = seed ?? Tensor(repeating: 1, shape: shape, dtype: dtype)
        for variable in order.reversed() {
            guard let gradientOfVariable = pending.removeValue(forKey: ObjectIdentifier(variable)) else { continue }
            guard let record = variable.record else {
                variable.accumulateGradient(gradientOfVariable)
                continue
            }
            let gradients = record.pullback(gradientOfVariable)
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

    /// Every variable this one depends on that requires a gradient, inputs before the ops that use them.
    func topologicalOrder() -> [Variable] {
        var order: [Variable] = []
        var visited: Set<ObjectIdentifier> = []
        var stack: [(Variable, Bool)] = [(self, false)]
        while let (variable, inputsDone) = stack.popLast() {
            if inputsDone {
                order.append(variable)
                continue
            }
            guard visited.insert(ObjectIdentifier(variable)).inserted else { continue }
            stack.append((variable, true))
            for input in variable.record?.inputs ?? [] where input.requiresGradient {
                if !visited.contains(ObjectIdentifier(input)) { stack.append((input, false)) }
            }
        }
        return order
    }
}
