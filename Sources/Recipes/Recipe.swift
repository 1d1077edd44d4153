/// A complete, validated description of one training job: model, data, optimizer, schedule, loss, gradients, EMA,
/// run settings, and the weights it starts from and keeps frozen.
///
/// A recipe is read from a YAML file (see `RecipeLoader`) whose keys mirror these
/// properties in snake case (`schedule.warmup_epochs` is `schedule.warmupEpochs`). Every
/// key has a default, so `Recipe()` (or an empty file) is a valid recipe, and
/// `resolvedYAML()` writes every key back out, which is what a run folder keeps.
///
/// The recipe is a plain value: the trainer, the model factory and the data pipeline read
/// it, nothing writes it after loading, and two equal recipes describe the same job (the
/// `fingerprint` says so across processes, for checkpoint compatibility).
public struct Recipe: Sendable, Equatable {
    /// Seeds every random choice of the run: initialisation, data order, augmentation, drop path.
    public var seed: UInt64
    /// The network and its variant switches.
    public var model: Model
    /// Where the images come from and how they are batched and augmented.
    public var data: Data
    /// The optimizer and its learning rate rule.
    public var optimizer: Optimizer
    /// How the learning rate changes over the run, and how long the run is.
    public var schedule: Schedule
    /// The training loss.
    public var loss: Loss
    /// Gradient accumulation over micro-batches and gradient clipping.
    public var gradient: Gradient
    /// The moving average of the weights.
    public var ema: EMA
    /// Execution settings that do not change what is learned in f32: threads, precision, cadence.
    public var run: Run
    /// The weights the run starts from (`init` in YAML): random, or another run's or a file's.
    public var initialization: Initialization
    /// The parts of the model that do not train.
    public var freeze: Freeze

    public init(seed: UInt64 = 0, model: Model = Model(), data: Data = Data(), optimizer: Optimizer = Optimizer(),
                schedule: Schedule = Schedule(), loss: Loss = Loss(), gradient: Gradient = Gradient(), ema: EMA = EMA(),
                run: Run = Run(), initialization: Initialization = Initialization(), freeze: Freeze = Freeze()) {
        self.seed = seed
        self.model = model
        self.data = data
        self.optimizer = optimizer
        self.schedule = schedule
        self.loss = loss
        self.gradient = gradient
        self.ema = ema
        self.run = run
        self.initialization = initialization
        self.freeze = freeze
    }
}
