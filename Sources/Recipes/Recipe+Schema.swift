extension Recipe {
    /// The recipe's keys in document order, each with its type and valid range.
    ///
    /// This table is the schema: it reads as the YAML it accepts. `knownModels` limits
    /// `model.name` to the registry's ids (any name when empty, for tools that only read
    /// recipes).
    static func schema(knownModels: [String]) -> [RecipeKey] {
        [
            .value("seed", \.seed, .unsignedInteger),
            .section("model", [
                .value("name", \.model.name, .text(among: knownModels)),
                .value("stem", \.model.stem, .optionalChoice(Model.Stem.self)),
                .value("downsample", \.model.downsample, .optionalChoice(Model.Downsample.self)),
                .value("stride_in", \.model.strideIn, .optionalChoice(Model.StridePlacement.self)),
                .value("norm", \.model.norm, .choice),
                .value("norm_groups", \.model.normGroups, .integer(atLeast: 1)),
                .value("zero_init_residual", \.model.zeroInitResidual, .boolean),
                .value("drop_path_rate", \.model.dropPathRate, .number(.unitInterval)),
                .value("dropout_rate", \.model.dropoutRate, .number(.unitInterval)),
                .value("width", \.model.width, .number(.positive)),
            ]),
            .section("data", [
                .value("dataset", \.data.dataset, .choice),
                .value("path", \.data.path, .text),
                .value("batch_size", \.data.batchSize, .integer(atLeast: 1)),
                .value("eval_batch_size", \.data.evalBatchSize, .integer(atLeast: 1)),
                .value("random_crop_padding", \.data.randomCropPadding, .integer(atLeast: 0)),
                .value("horizontal_flip", \.data.horizontalFlip, .boolean),
                .value("random_erasing", \.data.randomErasing, .number(.unitInterval)),
                .value("random_erasing_mode", \.data.randomErasingMode, .choice),
                .value("workers", \.data.workers, .integer(atLeast: 0)),
                .value("train_limit", \.data.trainLimit, .integer(atLeast: 0)),
                .value("eval_limit", \.data.evalLimit, .integer(atLeast: 0)),
                .value("train_split", \.data.trainSplit, .text),
                .value("eval_split", \.data.evalSplit, .text),
                .value("in_memory", \.data.inMemory, .boolean),
                .value("image_size", \.data.imageSize, .integer(atLeast: 0)),
                .value("eval_image_size", \.data.evalImageSize, .integer(atLeast: 0)),
                .value("crop_pct", \.data.cropPct, .number(.positive)),
                .value("interpolation", \.data.interpolation, .choice),
                .value("scale", \.data.scale, .numberRange(.probability)),
                .value("ratio", \.data.ratio, .numberRange(.positive)),
                .value("color_jitter", \.data.colorJitter, .number(.nonNegative)),
                .value("auto_augment", \.data.autoAugment, .optionalText),
                .value("mean", \.data.mean, .numbers(.probability, counts: [0, 1, 3])),
                .value("std", \.data.std, .numbers(.positive, counts: [0, 1, 3])),
                .value("mixup", \.data.mixup, .number(.nonNegative)),
                .value("cutmix", \.data.cutmix, .number(.nonNegative)),
                .value("mixup_prob", \.data.mixupProb, .number(.probability)),
                .value("mixup_switch_prob", \.data.mixupSwitchProb, .number(.probability)),
                .value("mixup_mode", \.data.mixupMode, .choice),
                .value("repeated_augmentation", \.data.repeatedAugmentation, .integer(atLeast: 1)),
                .value("bad_samples", \.data.badSamples, .choice),
                .value("bad_samples_limit", \.data.badSamplesLimit, .integer(atLeast: 1)),
            ]),
            .section("optimizer", [
                .value("name", \.optimizer.name, .choice),
                .value("lr", \.optimizer.learningRate, .number(.positive)),
                .value("lr_base_batch", \.optimizer.learningRateBaseBatch, .integer(atLeast: 1)),
                .value("lr_scaling", \.optimizer.learningRateScaling, .choice),
                .value("momentum", \.optimizer.momentum, .number(.unitInterval)),
                .value("nesterov", \.optimizer.nesterov, .boolean),
                .value("weight_decay", \.optimizer.weightDecay, .number(.nonNegative)),
                .value("no_bias_decay", \.optimizer.noBiasDecay, .boolean),
            ]),
            .section("schedule", [
                .value("epochs", \.schedule.epochs, .integer(atLeast: 1)),
                .value("warmup_epochs", \.schedule.warmupEpochs, .number(.nonNegative)),
                .value("warmup_start_lr", \.schedule.warmupStartLR, .number(.nonNegative)),
                .value("decay", \.schedule.decay, .choice),
                .value("min_lr", \.schedule.minLR, .number(.nonNegative)),
                .value("step_epochs", \.schedule.stepEpochs, .integer(atLeast: 1)),
                .value("milestones", \.schedule.milestones, .increasingIntegers(atLeast: 1)),
                .value("gamma", \.schedule.gamma, .number(.positive)),
                .value("power", \.schedule.power, .number(.positive)),
            ]),
            .section("loss", [
                .value("label_smoothing", \.loss.labelSmoothing, .number(.unitInterval)),
            ]),
            .section("run", [
                .value("threads", \.run.threads, .integer(atLeast: 0)),
                .value("precision", \.run.precision, .choice),
                .value("eval_every", \.run.evalEvery, .integer(atLeast: 1)),
                .value("checkpoint_every", \.run.checkpointEvery, .integer(atLeast: 0)),
                .value("convolution_algorithm", \.run.convolutionAlgorithm, .choice),
            ]),
        ]
    }
}
