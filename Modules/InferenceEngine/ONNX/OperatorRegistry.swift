/// An operator implementation: runs one node given its inputs.
typealias OperatorFunction = @Sendable (OperatorContext) throws -> [ONNXValue?]

/// One registered operator.
struct OperatorDefinition: Sendable {
    let domain: String
    let opType: String
    /// Lowest opset version of `domain` the implementation covers (it covers every later one the
    /// pinned `onnx` package defines; version differences are handled inside `run`).
    let sinceVersion: Int
    /// Whether determinism mode can promise bit-identical output: false for ops whose result
    /// depends on the thread count or on a BLAS library outside our control.
    let deterministic: Bool
    /// Whether constant folding may run it at plan time (false for random generators).
    let foldable: Bool
    let run: OperatorFunction
    /// Work that depends only on attributes and constant inputs (a tree ensemble's node arrays,
    /// integer weights widened and transposed for the GEMM), done once when the plan is compiled;
    /// `run` finds it in `OperatorContext.prepared`. The context's inputs are the values known at
    /// plan time (initializers, folded constants) and nil for everything computed at run time.
    let prepare: (@Sendable (OperatorContext) throws -> any Sendable)?
    /// For operators with exactly one output: the same as `run` without the result array, which
    /// the executor calls instead (at batch 1 allocating and freeing that array per step shows).
    let runSingle: (@Sendable (OperatorContext) throws -> ONNXValue)?

    init(
        _ opType: String, domain: String = "", since: Int = 1, deterministic: Bool = true, foldable: Bool = true,
        prepare: (@Sendable (OperatorContext) throws -> any Sendable)? = nil, run: @escaping OperatorFunction
    ) {
        self.init(opType, domain, since, deterministic, foldable, prepare, run, nil)
    }

    /// A one-output operator (see `runSingle`).
    init(
        _ opType: String, domain: String = "", since: Int = 1, deterministic: Bool = true, foldable: Bool = true,
        prepare: (@Sendable (OperatorContext) throws -> any Sendable)? = nil, single: @escaping @Sendable (OperatorContext) throws -> ONNXValue
    ) {
        self.init(opType, domain, since, deterministic, foldable, prepare, { c in [try single(c)] }, single)
    }

    private init(
        _ opType: String, _ domain: String, _ since: Int, _ deterministic: Bool, _ foldable: Bool,
        _ prepare: (@Sendable (OperatorContext) throws -> any Sendable)?, _ run: @escaping OperatorFunction,
        _ single: (@Sendable (OperatorContext) throws -> ONNXValue)?
    ) {
        self.domain = domain
        self.opType = opType
        sinceVersion = since
        self.deterministic = deterministic
        self.foldable = foldable
        self.prepare = prepare
        self.run = run
        runSingle = single
    }
}

/// Every operator the engine implements, by domain and type.
enum OperatorRegistry {
    /// The definition behind contexts made outside a plan (they are never run through it).
    static let placeholder = OperatorDefinition("", foldable: false, run: { c in throw c.fail("not an executable step") })

    struct Key: Hashable {
        let domain: String
        let opType: String
    }

    static let definitions: [Key: OperatorDefinition] = {
        var table = [Key: OperatorDefinition]()
        let families: [[OperatorDefinition]] = [
            ElementwiseOperators.definitions,
            ShapeOperators.definitions,
            ReductionOperators.definitions,
            NeuralNetworkOperators.definitions,
            QuantizationOperators.definitions,
            MLOperators.definitions,
            ResizeOperator.definitions,
            EinsumOperator.definitions,
            BitwiseOperators.definitions,
            LayoutOperators.definitions,
            NormalizationOperators.definitions,
        ]
        for family in families {
            for definition in family { table[Key(domain: definition.domain, opType: definition.opType)] = definition }
        }
        return table
    }()

    static func definition(domain: String, opType: String) -> OperatorDefinition? {
        definitions[Key(domain: domain, opType: opType)]
    }

    /// Operators the engine implements, as `domain:OpType` (`ai.onnx` written out).
    static var supportedOperators: [String] {
        definitions.keys.map { "\($0.domain.isEmpty ? "ai.onnx" : $0.domain):\($0.opType)" }.sorted()
    }
}
