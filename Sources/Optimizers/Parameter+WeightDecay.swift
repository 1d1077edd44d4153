import Layers

extension Parameter {
    /// Whether weight decay applies to this parameter; with `noBiasDecay` only weights of convolutions and linear layers decay.
    ///
    /// Bag of Tricks' "no bias decay" and timm's `filter_bias_and_bn` both exempt biases
    /// and normalisation scales and shifts; LARS and LAMB also skip their trust ratio
    /// for such parameters, as the references do for groups without decay.
    public func takesWeightDecay(noBiasDecay: Bool) -> Bool {
        !noBiasDecay || kind == .weight
    }
}
