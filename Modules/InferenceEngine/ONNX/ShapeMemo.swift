import Synchronization

/// The shape arithmetic of a plan, computed once per input shape. Exporters compute reshape
/// targets at run time (`Shape -> Gather -> Unsqueeze -> Concat`, so a dynamic batch axis keeps
/// working); at batch 1 those four tiny steps cost as much as a layer's LayerNorm. Their outputs
/// depend only on the shapes of graph inputs, so a plan keeps the values of the last input shape
/// and skips the steps while the shapes repeat (a serving loop's normal case).
///
/// Which steps qualify is decided at plan time: `Shape` and `Size` of a graph input, then every
/// deterministic, foldable step whose inputs are all constants or qualifying outputs.
final class ShapeMemo: Sendable {
    /// Graph inputs whose shapes the qualifying steps read (the key).
    let keySlots: [Int]
    /// Per step: whether its outputs depend only on `keySlots`' shapes.
    let derived: [Bool]
    private let last = Mutex<(key: [[Int]], values: [(slot: Int, value: ONNXValue)])?>(nil)

    init(steps: [ExecutionPlan.Step], fed: Set<Int>, constants: Set<Int>) {
        var known = constants
        var keys = [Int]()
        var derived = [Bool](repeating: false, count: steps.count)
        for (index, step) in steps.enumerated() {
            let node = step.node
            if node.domain.isEmpty, node.opType == "Shape" || node.opType == "Size",
               let source = step.inputs.first ?? nil, fed.contains(source) {
                if !keys.contains(source) { keys.append(source) }
            } else {
                // Every input known, at least one of them computed from a shape.
                let slots = step.inputs.compactMap { $0 }
                guard step.definition.foldable, step.definition.deterministic, !slots.isEmpty,
                      slots.allSatisfy(known.contains), !slots.allSatisfy(constants.contains) else { continue }
            }
            derived[index] = true
            for output in step.outputs { if let output { known.insert(output) } }
        }
        keySlots = keys
        self.derived = derived
    }

    var isEmpty: Bool { keySlots.isEmpty }

    /// The key of a run: the shapes of its key inputs (nil when one is not a tensor).
    func key(_ values: [ONNXValue?]) -> [[Int]]? {
        var key = [[Int]]()
        key.reserveCapacity(keySlots.count)
        for slot in keySlots {
            guard case let .tensor(tensor)? = values[slot] else { return nil }
            key.append(tensor.shape)
        }
        return key
    }

    /// The derived values computed for `key`, if it was the last one seen.
    func values(for key: [[Int]]) -> [(slot: Int, value: ONNXValue)]? {
        last.withLock { entry in entry.flatMap { $0.key == key ? $0.values : nil } }
    }

    func remember(_ values: [(slot: Int, value: ONNXValue)], for key: [[Int]]) {
        last.withLock { $0 = (key, values) }
    }
}
