import Testing
@testable import InferenceEngine

@Suite("Tensor storage and views")
struct TensorViewTests {
    let matrix = try! Tensor(shape: [3, 4], scalars: (0..<12).map(Float.init))

    @Test("storage is 64-byte aligned and row-major strides are computed from the shape")
    func alignmentAndStrides() throws {
        let tensor = try Tensor(zeros: [2, 3, 5], dtype: .int16)
        #expect(Int(bitPattern: tensor.storage.bytes) % 64 == 0)
        #expect(tensor.strides == [15, 5, 1])
        #expect(tensor.count == 30)
        #expect(tensor.isContiguous)
        #expect(Tensor.contiguousStrides(for: []) == [])
    }

    @Test("a transposed view shares storage, swaps strides and reads the right elements")
    func transposeIsAView() throws {
        let t = matrix.transposed()
        #expect(t.shape == [4, 3])
        #expect(t.strides == [1, 4])
        #expect(t.storage === matrix.storage)
        #expect(!t.isContiguous)
        #expect(try t.scalar(at: [3, 1], as: Float.self) == 7)
        #expect(try t.scalars(as: Float.self) == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
        let copy = try t.contiguous()
        #expect(copy.isContiguous && copy.storage !== matrix.storage)
        #expect(try copy.scalars(as: Float.self) == t.scalars(as: Float.self))
    }

    @Test("slices with steps and negative bounds are views with scaled strides")
    func slices() throws {
        let columns = try matrix.sliced(axis: 1, start: 1, end: -1, step: 1)
        #expect(columns.shape == [3, 2])
        #expect(try columns.scalars(as: Float.self) == [1, 2, 5, 6, 9, 10])
        let everyOther = try matrix.sliced(axis: 1, start: 0, end: 4, step: 2).sliced(axis: 0, start: 1, end: 3)
        #expect(everyOther.strides == [4, 2])
        #expect(everyOther.offset == 4)
        #expect(try everyOther.scalars(as: Float.self) == [4, 6, 8, 10])
        #expect(try matrix.sliced(axis: 0, start: 5, end: 9).shape == [0, 4])
        #expect(throws: TensorError.self) { try matrix.sliced(axis: 2, start: 0, end: 1) }
        #expect(throws: TensorError.self) { try matrix.sliced(axis: 0, start: 0, end: 1, step: 0) }
    }

    @Test("reshape of a contiguous tensor is a view; of a strided one, a copy; -1 is inferred")
    func reshape() throws {
        let view = try matrix.reshaped([2, -1])
        #expect(view.shape == [2, 6])
        #expect(view.storage === matrix.storage)
        let fromTransposed = try matrix.transposed().reshaped([12])
        #expect(fromTransposed.storage !== matrix.storage)
        #expect(try fromTransposed.scalars(as: Float.self) == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
        #expect(throws: TensorError.self) { try matrix.reshaped([5, -1]) }
        #expect(throws: TensorError.self) { try matrix.reshaped([-1, -1]) }
    }

    @Test("permute and broadcast are views; broadcasting uses stride 0")
    func permuteAndBroadcast() throws {
        let cube = try Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Int32.init))
        let permuted = try cube.permuted([2, 0, 1])
        #expect(permuted.shape == [4, 2, 3])
        #expect(try permuted.scalar(at: [3, 1, 2], as: Int32.self) == cube.scalar(at: [1, 2, 3], as: Int32.self))
        let row = try Tensor(shape: [1, 4], scalars: [Float](repeating: 2, count: 4))
        let wide = try row.broadcast(to: [5, 3, 4])
        #expect(wide.strides == [0, 0, 1])
        #expect(try wide.scalar(at: [4, 2, 3], as: Float.self) == 2)
        #expect(throws: TensorError.self) { try row.broadcast(to: [3, 3]) }
        #expect(throws: TensorError.self) { try cube.permuted([0, 0, 1]) }
    }

    @Test("writing through a shared tensor copies first (copy on write)")
    func copyOnWrite() throws {
        var copy = matrix
        try copy.setScalar(Float(99), at: [0, 0])
        #expect(try copy.scalar(at: [0, 0], as: Float.self) == 99)
        #expect(try matrix.scalar(at: [0, 0], as: Float.self) == 0)
        var view = matrix.transposed()
        try view.setScalar(Float(-1), at: [1, 0])
        #expect(try view.scalar(at: [1, 0], as: Float.self) == -1)
        #expect(try matrix.scalar(at: [0, 1], as: Float.self) == 1)
    }

    @Test("bad indices, dtypes and element counts are errors, not crashes")
    func errors() throws {
        #expect(throws: TensorError.self) { try matrix.scalar(at: [3, 0], as: Float.self) }
        #expect(throws: TensorError.self) { try matrix.scalar(at: [0], as: Float.self) }
        #expect(throws: TensorError.self) { try matrix.scalar(at: [0, 0], as: Double.self) }
        #expect(throws: TensorError.self) { try Tensor(shape: [2, 2], scalars: [Float(1)]) }
        #expect(throws: TensorError.self) { try Tensor(zeros: [-1]) }
        let error = try #require(throws: TensorError.self) { try matrix.scalar(at: [3, 0], as: Float.self) }
        #expect(error.description == "scalar(at:): index [3, 0] is outside shape [3, 4]")
    }

    @Test("string tensors store, view and copy their elements")
    func strings() throws {
        let words = try Tensor(shape: [2, 2], strings: ["a", "b", "c", "d"])
        #expect(try words.transposed().strings() == ["a", "c", "b", "d"])
        #expect(try words.string(at: [1, 0]) == "c")
        #expect(try words.transposed().contiguous().strings() == ["a", "c", "b", "d"])
    }
}
