/// The `ai.onnx.ml` domain: classic machine-learning operators (files under `ML/`).
enum MLOperators {
    static let definitions: [OperatorDefinition] =
        TreeEnsembleOperators.definitions + LinearModelOperators.definitions + SVMOperators.definitions + FeatureOperators.definitions
}
