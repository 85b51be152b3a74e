/// A value flowing between nodes: tensors, and the sequence/map values of ONNX-ML graphs
/// (ZipMap's list of class->probability maps, DictVectorizer's input).
public enum ONNXValue: Sendable {
    case tensor(Tensor)
    case sequence([ONNXValue])
    /// Keys are an int64 or string tensor, values a tensor of the same length.
    case map(keys: Tensor, values: Tensor)

    public var tensor: Tensor? {
        if case let .tensor(value) = self { return value }
        return nil
    }

    /// Short type text for error messages.
    public var typeDescription: String {
        switch self {
        case let .tensor(t): "tensor(\(t.dtype))\(t.shape)"
        case let .sequence(items): "seq[\(items.count)]"
        case let .map(keys, values): "map(\(keys.dtype),\(values.dtype))[\(keys.count)]"
        }
    }
}
