/// The `ai.onnx.ml` domain: classic machine-learning operators.
enum MLOperators {
    static let definitions: [OperatorDefinition] = []
}
