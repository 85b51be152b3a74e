/// QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, MatMulInteger, QLinearMatMul, QLinearConv.
enum QuantizationOperators {
    static let definitions: [OperatorDefinition] = []
}
