/// Which steps read each slot of a step list, for the fusion passes: an intermediate value may be
/// fused away only when exactly one step reads it and it is not a graph output.
struct StepReaders {
    private var readers = [Int: [Int]]()
    let graphOutputs: Set<Int>

    init(_ steps: [ExecutionPlan.Step], graphOutputs: Set<Int>) {
        self.graphOutputs = graphOutputs
        for (index, step) in steps.enumerated() {
            // A step reading a slot twice (`Mul(d, d)`) counts once.
            for input in step.inputs { if let input, readers[input]?.last != index { readers[input, default: []].append(index) } }
        }
    }

    /// The steps that read `slot`, in order (nil when none does).
    subscript(slot: Int?) -> [Int]? { slot.flatMap { readers[$0] } }

    /// The index of the only step that reads `slot`, unless the slot is a graph output.
    func soleReader(of slot: Int?) -> Int? {
        guard let slot, !graphOutputs.contains(slot), let list = readers[slot], list.count == 1 else { return nil }
        return list[0]
    }
}
