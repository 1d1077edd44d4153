/// The naive Float64 reference implementations every Hone op and kernel is checked against.
///
/// Shapes follow PyTorch (NCHW activations, OIHW convolution weights, [N, C] logits) and
/// every function is pure: it reads `ReferenceTensor`s and returns new ones or a `Double`.
///
/// Each op is written as the obvious loop over its definition, with PyTorch's semantics
/// pinned down exactly (ceil-mode pooling, padding divisors, biased versus unbiased
/// variance, label smoothing), so that a mismatch against a oneDNN kernel or an autodiff
/// pullback is a bug in those and not a question about what the op means. The fixture
/// `Tests/TestSupportTests/Fixtures/reference_cases.json`, written by PyTorch itself,
/// holds these functions to that promise.
public enum Reference {}
