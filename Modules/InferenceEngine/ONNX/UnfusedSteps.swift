/// The steps a fused step replaced, in order, kept as its fallback: fusions whose preconditions
/// are only known at run time (shapes computed by the graph, dtypes) run these when a run falls
/// outside them, with the original operators' own checks and error messages.
final class UnfusedSteps: Sendable {
    let steps: [ExecutionPlan.Step]

    init(steps: [ExecutionPlan.Step]) {
        self.steps = steps
    }

    /// Runs these steps on the fused step `c`'s inputs; returns the last step's first output.
    func run(_ c: OperatorContext) throws -> ONNXValue {
        guard let last = steps.last else { throw c.fail("its unfused steps are missing") }
        var values = [Int: ONNXValue]()
        for (index, slot) in c.step.inputs.enumerated() { if let slot, let value = c.input(index) { values[slot] = value } }
        for step in steps {
            let inputs = step.inputs.map { $0.flatMap { values[$0] } }
            let results = try ExecutionPlan.execute(step, context: OperatorContext(step: step, inputs: inputs, options: c.options))
            for (index, output) in step.outputs.enumerated() { if let output, index < results.count, let value = results[index] { values[output] = value } }
        }
        guard let output = last.outputs.first ?? nil, let value = values[output] else { throw c.fail("its unfused steps produced no value") }
        return value
    }
}
