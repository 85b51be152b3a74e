/// The EthereumKit workloads, in the order reports list them.
public enum Workloads {
    public static let all: [WorkloadSpec] = [
        WorkloadSpec(name: "keccak-1MiB", unit: "MB/s", unitsPerOperation: Double(1 << 20) / 1e6, batch: 4) {
            KeccakWorkload(byteCount: 1 << 20, seed: 0x33)
        },
        WorkloadSpec(name: "keccak-32B", batch: 2000) { KeccakWorkload(byteCount: 32, seed: 0x44) },
        WorkloadSpec(name: "sign", batch: 200) { try SignWorkload() },
        WorkloadSpec(name: "recover", batch: 200) { try RecoverWorkload() },
        WorkloadSpec(name: "tx-sign-1559", batch: 100) { try TransactionSigningWorkload() },
        WorkloadSpec(name: "abi-transfer", batch: 1000) { try ABITransferWorkload() },
        WorkloadSpec(name: "abi-mixed", batch: 200) { try ABIMixedWorkload() },
    ]
}
