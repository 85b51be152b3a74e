/// A decision-tree ensemble compiled from either attribute layout (the legacy
/// TreeEnsembleRegressor/Classifier node lists or the ml-opset-5 TreeEnsemble leaf arrays) into
/// one flat node array that rows are walked through.
struct TreeEnsembleModel: Sendable {
    enum Rule: Sendable { case leq, lt, gte, gt, eq, neq, member, leaf }

    struct Node: Sendable {
        var rule: Rule
        var feature: Int
        var threshold: Double
        var trueNext: Int
        var falseNext: Int
        var missingTracksTrue: Bool
        /// Index into `memberSets` for BRANCH_MEMBER nodes (kept out of the node so walking copies no set).
        var memberSet = -1
    }

    struct LeafWeight: Sendable {
        var target: Int
        var weight: Double
    }

    enum Aggregate: Sendable { case sum, average, min, max }

    var nodes: [Node]
    var roots: [Int]
    /// Weights by node index (empty for branches).
    var leafWeights: [[LeafWeight]]
    /// `leafWeights` flattened (set by `finish`): node n's weights are
    /// `flatWeights[weightStarts[n]..<weightStarts[n + 1]]`. Walking rows reads these, since
    /// each access to an inner array of `leafWeights` costs a retain and a release.
    var weightStarts: [Int] = []
    var flatWeights: [LeafWeight] = []
    var memberSets: [Set<Double>] = []

    static func rule(named name: String, fail: (String) -> ONNXError) throws -> Rule {
        switch name {
        case "BRANCH_LEQ": .leq
        case "BRANCH_LT": .lt
        case "BRANCH_GTE": .gte
        case "BRANCH_GT": .gt
        case "BRANCH_EQ": .eq
        case "BRANCH_NEQ": .neq
        case "BRANCH_MEMBER": .member
        case "LEAF": .leaf
        default: throw fail("unknown node mode \"\(name)\"")
        }
    }

    /// The legacy layout: nodes keyed by (tree id, node id); `prefix` is `target` or `class`.
    init(legacy c: OperatorContext, prefix: String) throws {
        let treeIDs = c.ints("nodes_treeids") ?? [], nodeIDs = c.ints("nodes_nodeids") ?? []
        let features = c.ints("nodes_featureids") ?? [], modes = c.strings("nodes_modes") ?? []
        let trueIDs = c.ints("nodes_truenodeids") ?? [], falseIDs = c.ints("nodes_falsenodeids") ?? []
        let thresholds = try c.mlDoubles("nodes_values") ?? []
        let missing = c.ints("nodes_missing_value_tracks_true") ?? []
        let count = treeIDs.count
        guard count > 0, nodeIDs.count == count, features.count == count, modes.count == count,
              trueIDs.count == count, falseIDs.count == count, thresholds.count == count,
              missing.isEmpty || missing.count == count
        else { throw c.fail("nodes_* attributes must all have \(count) entries") }
        var index = [Pair: Int]()
        for i in 0..<count { index[Pair(tree: treeIDs[i], node: nodeIDs[i])] = i }
        // a tree's root is its first node in attribute order
        var seenTrees = Set<Int>()
        roots = []
        for i in 0..<count where seenTrees.insert(treeIDs[i]).inserted { roots.append(i) }
        nodes = []
        nodes.reserveCapacity(count)
        for i in 0..<count {
            let rule = try Self.rule(named: modes[i], fail: c.fail)
            var next = (i, i)
            if rule != .leaf {
                guard let t = index[Pair(tree: treeIDs[i], node: trueIDs[i])], let f = index[Pair(tree: treeIDs[i], node: falseIDs[i])] else {
                    throw c.fail("node \(nodeIDs[i]) of tree \(treeIDs[i]) points at a node that does not exist")
                }
                guard features[i] >= 0 else { throw c.fail("negative feature id \(features[i])") }
                next = (t, f)
            }
            nodes.append(Node(rule: rule, feature: features[i], threshold: thresholds[i], trueNext: next.0, falseNext: next.1,
                              missingTracksTrue: missing.isEmpty ? false : missing[i] != 0))
        }
        leafWeights = [[LeafWeight]](repeating: [], count: count)
        let wTrees = c.ints("\(prefix)_treeids") ?? [], wNodes = c.ints("\(prefix)_nodeids") ?? []
        let wIDs = c.ints("\(prefix)_ids") ?? [], weights = try c.mlDoubles("\(prefix)_weights") ?? []
        guard wTrees.count == wNodes.count, wIDs.count == wNodes.count, weights.count == wNodes.count else {
            throw c.fail("\(prefix)_* attributes must all have the same length")
        }
        for i in 0..<wTrees.count {
            guard let n = index[Pair(tree: wTrees[i], node: wNodes[i])] else {
                throw c.fail("\(prefix) weight \(i) names node \(wNodes[i]) of tree \(wTrees[i]), which does not exist")
            }
            guard wIDs[i] >= 0 else { throw c.fail("negative \(prefix) id \(wIDs[i])") }
            leafWeights[n].append(LeafWeight(target: wIDs[i], weight: weights[i]))
        }
        try finish(c)
    }

    /// The ml-opset-5 TreeEnsemble layout: branch nodes, then leaves appended after them.
    init(v5 c: OperatorContext) throws {
        let features = c.ints("nodes_featureids") ?? [], modeCodes = c.tensorAttribute("nodes_modes")
        let trueIDs = c.ints("nodes_truenodeids") ?? [], falseIDs = c.ints("nodes_falsenodeids") ?? []
        let trueLeaf = c.ints("nodes_trueleafs") ?? [], falseLeaf = c.ints("nodes_falseleafs") ?? []
        guard let splitsTensor = c.tensorAttribute("nodes_splits"), let modeCodes, let weightTensor = c.tensorAttribute("leaf_weights") else {
            throw c.fail("nodes_splits, nodes_modes and leaf_weights are required")
        }
        let splits = try Numbers(splitsTensor).doubles
        let modes = try Numbers(modeCodes).int64s
        let targets = c.ints("leaf_targetids") ?? [], weights = try Numbers(weightTensor).doubles
        let missing = c.ints("nodes_missing_value_tracks_true") ?? []
        let members = try c.tensorAttribute("membership_values").map { try Numbers($0).doubles } ?? []
        let count = features.count
        guard modes.count == count, trueIDs.count == count, falseIDs.count == count, trueLeaf.count == count,
              falseLeaf.count == count, splits.count == count, missing.isEmpty || missing.count == count
        else { throw c.fail("nodes_* attributes must all have \(count) entries") }
        guard targets.count == weights.count else { throw c.fail("leaf_targetids and leaf_weights differ in length") }
        let rules: [Rule] = [.leq, .lt, .gte, .gt, .eq, .neq, .member]
        var memberCursor = 0
        nodes = []
        for i in 0..<count {
            guard modes[i] >= 0, Int(modes[i]) < rules.count else { throw c.fail("unknown node mode \(modes[i])") }
            let rule = rules[Int(modes[i])]
            func next(_ id: Int, leaf: Bool) throws -> Int {
                let limit = leaf ? targets.count : count
                guard id >= 0, id < limit else { throw c.fail("node \(i) points at \(leaf ? "leaf" : "node") \(id), which does not exist") }
                return leaf ? count + id : id
            }
            var node = Node(rule: rule, feature: features[i], threshold: splits[i],
                            trueNext: try next(trueIDs[i], leaf: trueLeaf[i] != 0), falseNext: try next(falseIDs[i], leaf: falseLeaf[i] != 0),
                            missingTracksTrue: missing.isEmpty ? false : missing[i] != 0)
            if rule == .member {
                // Each MEMBER node's set is the next NaN-terminated run of membership_values.
                var set = Set<Double>()
                while memberCursor < members.count, !members[memberCursor].isNaN {
                    set.insert(members[memberCursor])
                    memberCursor += 1
                }
                memberCursor += 1
                node.memberSet = memberSets.count
                memberSets.append(set)
            }
            nodes.append(node)
        }
        leafWeights = [[LeafWeight]](repeating: [], count: count)
        for (target, weight) in zip(targets, weights) {
            guard target >= 0 else { throw c.fail("negative leaf target id \(target)") }
            nodes.append(Node(rule: .leaf, feature: 0, threshold: 0, trueNext: 0, falseNext: 0, missingTracksTrue: false))
            leafWeights.append([LeafWeight(target: target, weight: weight)])
        }
        roots = []
        for root in c.ints("tree_roots") ?? [] {
            guard root >= 0, root < count else { throw c.fail("tree root \(root) does not exist") }
            // A tree that is a single leaf: both branches go to the same leaf.
            if trueLeaf[root] != 0, falseLeaf[root] != 0, trueIDs[root] == falseIDs[root] {
                roots.append(count + trueIDs[root])
            } else {
                roots.append(root)
            }
        }
        try finish(c)
    }

    private struct Pair: Hashable {
        let tree: Int
        let node: Int
    }

    /// Every walk must end: a branch may only reach nodes that eventually hit a leaf (no cycles).
    /// Checks the trees and builds the flat weight table.
    private mutating func finish(_ c: OperatorContext) throws {
        try validate(c)
        weightStarts = [0]
        weightStarts.reserveCapacity(leafWeights.count + 1)
        for weights in leafWeights {
            flatWeights.append(contentsOf: weights)
            weightStarts.append(flatWeights.count)
        }
    }

    private func validate(_ c: OperatorContext) throws {
        var state = [UInt8](repeating: 0, count: nodes.count)  // 0 new, 1 visiting, 2 done
        for root in roots {
            var stack = [(root, false)]
            while let (n, exiting) = stack.popLast() {
                if exiting { state[n] = 2; continue }
                if state[n] == 2 { continue }
                if state[n] == 1 { throw c.fail("tree nodes form a cycle at node index \(n)") }
                state[n] = 1
                stack.append((n, true))
                if nodes[n].rule != .leaf {
                    stack.append((nodes[n].trueNext, false))
                    if nodes[n].falseNext != nodes[n].trueNext { stack.append((nodes[n].falseNext, false)) }
                }
            }
        }
    }

    /// The leaf reached from `root` by one row.
    @inline(__always) func leaf(from root: Int, row: UnsafeBufferPointer<Double>, nodes: UnsafeBufferPointer<Node>) -> Int {
        var n = root
        while true {
            let node = nodes[n]
            let x = node.rule == .leaf ? 0 : (node.feature < row.count ? row[node.feature] : .nan)
            let goesTrue: Bool
            switch node.rule {
            case .leaf: return n
            case .leq: goesTrue = x <= node.threshold
            case .lt: goesTrue = x < node.threshold
            case .gte: goesTrue = x >= node.threshold
            case .gt: goesTrue = x > node.threshold
            case .eq: goesTrue = x == node.threshold
            case .neq: goesTrue = x != node.threshold
            case .member: goesTrue = memberSets[node.memberSet].contains(x)
            }
            n = goesTrue || (node.missingTracksTrue && x.isNaN) ? node.trueNext : node.falseNext
        }
    }

    /// Aggregated scores of one row over `targets` outputs into caller-owned buffers (reset here, so
    /// a batch reuses them), and which outputs any leaf touched. `singlePrecision` rounds every step
    /// to f32 the way onnxruntime accumulates for f32 inputs (it decides labels: 0.2f + 0.3f must be
    /// exactly 0.5, not 0.5000000075).
    func scores(row: ArraySlice<Double>, targets: Int, aggregate: Aggregate, singlePrecision: Bool, into scores: inout [Double], touched: inout [Bool]) {
        @inline(__always) func round(_ v: Double) -> Double { singlePrecision ? Double(Float(v)) : v }
        for i in 0..<targets { scores[i] = 0; touched[i] = false }
        row.withUnsafeBufferPointer { row in
            nodes.withUnsafeBufferPointer { nodes in
                weightStarts.withUnsafeBufferPointer { starts in
                    flatWeights.withUnsafeBufferPointer { weights in
                        for root in roots {
                            let reached = leaf(from: root, row: row, nodes: nodes)
                            for index in starts[reached]..<starts[reached + 1] {
                                let w = weights[index]
                                guard w.target < targets else { continue }
                                switch aggregate {
                                case .sum, .average: scores[w.target] = round(scores[w.target] + w.weight)
                                case .min: scores[w.target] = touched[w.target] ? Swift.min(scores[w.target], w.weight) : w.weight
                                case .max: scores[w.target] = touched[w.target] ? Swift.max(scores[w.target], w.weight) : w.weight
                                }
                                touched[w.target] = true
                            }
                        }
                    }
                }
            }
        }
        if aggregate == .average, !roots.isEmpty { for i in 0..<targets { scores[i] = round(scores[i] / Double(roots.count)) } }
    }
}
