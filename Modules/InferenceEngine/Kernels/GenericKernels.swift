import Dispatch

/// The portable `_generic` kernels, in Swift `SIMD` (ggml's layout: every kernel has a portable
/// twin of its AVX2/AVX-512 variants, which live in C in `CInferenceKernels`).
///
/// They are what determinism mode runs, so their arithmetic is pinned: Swift never contracts a
/// multiply and an add into an FMA, SIMD lanes are exact IEEE single operations, and every
/// reduction has a fixed order that depends only on the problem size (never on the thread count
/// or the machine). Any x86-64 or arm64 machine computes the same bits.
enum GenericKernels {
    /// Register tile of the SGEMM micro-kernel: 4 rows of C by one 16-lane vector.
    static let mr = 4, nr = 16
    /// Cache blocks: an A block of mc x kc and a B panel of kc x nc.
    static let mc = 4 * 32, kc = 256, nc = 16 * 64

    /// `sum(x[i] * y[i])`: eight running lanes (element i goes to lane i mod 8), then the lanes
    /// added pairwise: ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)).
    static func dot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= n {
            acc += load8(x + i) * load8(y + i)
            i += 8
        }
        while i < n {
            acc[i & 7] += x[i] * y[i]
            i += 1
        }
        return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
    }

    /// `y += a * x`.
    static func axpy(_ n: Int, _ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let splat = SIMD8<Float>(repeating: a)
        var i = 0
        while i + 8 <= n {
            store8(load8(y + i) + splat * load8(x + i), y + i)
            i += 8
        }
        while i < n {
            y[i] += a * x[i]
            i += 1
        }
    }

    /// Row-major `C = alpha * op(A) * op(B) + beta * C` (Goto/BLIS blocking). Each element of C
    /// is reduced over k in blocks of `kc`, in order, each block summed from zero and added to C:
    /// the same order for any split of the rows between threads.
    static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int
    ) {
        guard m > 0, n > 0 else { return }
        let tiles = (m + mr - 1) / mr
        let workers = max(1, min(threads, tiles))
        let tilesPerWorker = (tiles + workers - 1) / workers
        let operands = Operands(transposeA: transposeA, transposeB: transposeB, n: n, k: k, alpha: alpha, beta: beta,
                                a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
        if workers == 1 {
            rows(operands, from: 0, to: m)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let first = min(m, worker * tilesPerWorker * mr)
                rows(operands, from: first, to: min(m, first + tilesPerWorker * mr))
            }
        }
    }

    /// One SGEMM call's operands. `@unchecked Sendable`: the pointers are read by every worker,
    /// and C is written only in the disjoint row ranges the workers own.
    struct Operands: @unchecked Sendable {
        let transposeA: Bool, transposeB: Bool
        let n: Int, k: Int
        let alpha: Float, beta: Float
        let a: UnsafePointer<Float>, lda: Int
        let b: UnsafePointer<Float>, ldb: Int
        let c: UnsafeMutablePointer<Float>, ldc: Int
    }

    static func rows(_ o: Operands, from m0: Int, to m1: Int) {
        guard m1 > m0 else { return }
        for i in m0..<m1 {
            let row = o.c + i * o.ldc
            if o.beta == 0 {
                for j in 0..<o.n { row[j] = 0 } // NaNs in C are not propagated, as in BLAS
            } else if o.beta != 1 {
                for j in 0..<o.n { row[j] *= o.beta }
            }
        }
        if o.k == 0 || o.alpha == 0 { return }
        let kcMax = min(kc, o.k), ncMax = min(nc, o.n), mcMax = min(mc, m1 - m0)
        let bFloats = (ncMax + nr - 1) / nr * nr * kcMax, aFloats = (mcMax + mr - 1) / mr * mr * kcMax
        let bpack = UnsafeMutablePointer<Float>.allocate(capacity: bFloats)
        let apack = UnsafeMutablePointer<Float>.allocate(capacity: aFloats)
        defer {
            bpack.deallocate()
            apack.deallocate()
        }
        for jc in stride(from: 0, to: o.n, by: nc) {
            let ncBlock = min(nc, o.n - jc)
            for pc in stride(from: 0, to: o.k, by: kc) {
                let kcBlock = min(kc, o.k - pc)
                packB(o, p0: pc, kc: kcBlock, j0: jc, nc: ncBlock, into: bpack)
                for ic in stride(from: m0, to: m1, by: mc) {
                    let mcBlock = min(mc, m1 - ic)
                    packA(o, i0: ic, mc: mcBlock, p0: pc, kc: kcBlock, into: apack)
                    for jr in stride(from: 0, to: ncBlock, by: nr) {
                        for ir in stride(from: 0, to: mcBlock, by: mr) {
                            microKernel(kc: kcBlock, a: apack + ir * kcBlock, b: bpack + jr * kcBlock,
                                        c: o.c + (ic + ir) * o.ldc + jc + jr, ldc: o.ldc, alpha: o.alpha,
                                        rows: min(mr, mcBlock - ir), columns: min(nr, ncBlock - jr))
                        }
                    }
                }
            }
        }
    }

    /// A rows [i0, i0+mc) x columns [p0, p0+kc) as `mr`-row panels, p-major, zero-padded.
    static func packA(_ o: Operands, i0: Int, mc: Int, p0: Int, kc: Int, into out: UnsafeMutablePointer<Float>) {
        for ir in stride(from: 0, to: mc, by: mr) {
            let panel = out + ir * kc, rows = min(mr, mc - ir)
            for p in 0..<kc {
                for r in 0..<mr {
                    let i = i0 + ir + r, column = p0 + p
                    panel[p * mr + r] = r < rows ? (o.transposeA ? o.a[column * o.lda + i] : o.a[i * o.lda + column]) : 0
                }
            }
        }
    }

    /// B rows [p0, p0+kc) x columns [j0, j0+nc) as `nr`-column panels, p-major, zero-padded.
    static func packB(_ o: Operands, p0: Int, kc: Int, j0: Int, nc: Int, into out: UnsafeMutablePointer<Float>) {
        for jr in stride(from: 0, to: nc, by: nr) {
            let panel = out + jr * kc, columns = min(nr, nc - jr)
            for p in 0..<kc {
                let destination = panel + p * nr
                for j in 0..<nr {
                    let column = j0 + jr + j, row = p0 + p
                    destination[j] = j < columns ? (o.transposeB ? o.b[column * o.ldb + row] : o.b[row * o.ldb + column]) : 0
                }
            }
        }
    }

    /// C[rows, columns] += alpha * Apanel^T Bpanel over `kc`, with four 16-lane accumulators.
    @inline(__always)
    static func microKernel(kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                            ldc: Int, alpha: Float, rows: Int, columns: Int) {
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>(), acc2 = SIMD16<Float>(), acc3 = SIMD16<Float>()
        for p in 0..<kc {
            let bv = UnsafeRawPointer(b + p * nr).loadUnaligned(as: SIMD16<Float>.self)
            let ap = a + p * mr
            acc0 += SIMD16(repeating: ap[0]) * bv
            acc1 += SIMD16(repeating: ap[1]) * bv
            acc2 += SIMD16(repeating: ap[2]) * bv
            acc3 += SIMD16(repeating: ap[3]) * bv
        }
        @inline(__always) func add(_ acc: SIMD16<Float>, to row: UnsafeMutablePointer<Float>) {
            for j in 0..<columns { row[j] += alpha * acc[j] }
        }
        add(acc0, to: c)
        if rows > 1 { add(acc1, to: c + ldc) }
        if rows > 2 { add(acc2, to: c + 2 * ldc) }
        if rows > 3 { add(acc3, to: c + 3 * ldc) }
    }

    /// Row-major `C[m,n] = A[m,k] * Bt[n,k]^T` over int16 with wrapping int32 sums (integer sums
    /// do not depend on order, so this equals every SIMD variant bit for bit).
    static func gemmS16S32(m: Int, n: Int, k: Int, a: UnsafePointer<Int16>, lda: Int, bt: UnsafePointer<Int16>, ldb: Int,
                           c: UnsafeMutablePointer<Int32>, ldc: Int) {
        for i in 0..<m {
            let x = a + i * lda
            for j in 0..<n {
                let y = bt + j * ldb
                var lanes = SIMD16<Int32>()
                var p = 0
                while p + 16 <= k {
                    let xv = SIMD16<Int32>(truncatingIfNeeded: UnsafeRawPointer(x + p).loadUnaligned(as: SIMD16<Int16>.self))
                    let yv = SIMD16<Int32>(truncatingIfNeeded: UnsafeRawPointer(y + p).loadUnaligned(as: SIMD16<Int16>.self))
                    lanes &+= xv &* yv
                    p += 16
                }
                var sum = lanes.wrappedSum()
                while p < k {
                    sum &+= Int32(x[p]) &* Int32(y[p])
                    p += 1
                }
                c[i * ldc + j] = sum
            }
        }
    }

    @inline(__always)
    private static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }
}
