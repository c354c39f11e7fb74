// The GPUs the simulator knows. Numbers are NVIDIA's published figures except
// memoryBytes, which is what the driver reports as usable (nvidia-smi "Total"),
// because that is what vLLM sizes its KV cache from (torch.cuda.mem_get_info).

export interface GpuSpec {
  /** Preset key, e.g. "h100". */
  readonly id: string;
  readonly name: string;
  /** Device memory the driver reports, in bytes. */
  readonly memoryBytes: number;
  /** Peak HBM bandwidth, bytes/s. */
  readonly hbmBandwidth: number;
  /** Peak dense BF16 tensor-core throughput, FLOP/s (no sparsity). */
  readonly denseBf16Flops: number;
  /** NVLink bandwidth per GPU, one direction, bytes/s: what a ring all-reduce streams at. */
  readonly nvlinkBandwidth: number;
}

const MiB = 1024 * 1024;

/** NVIDIA H100 SXM5 80GB. */
export const H100_SXM: GpuSpec = {
  id: "h100",
  name: "NVIDIA H100 SXM 80GB",
  // Datasheet: 80 GB HBM3; nvidia-smi reports 81,559 MiB total.
  memoryBytes: 81_559 * MiB,
  // Datasheet: 3.35 TB/s.
  hbmBandwidth: 3.35e12,
  // Datasheet: 1,979 TFLOP/s BF16 "with sparsity"; dense is half: 989 TFLOP/s.
  denseBf16Flops: 989e12,
  // Datasheet: NVLink 900 GB/s (bidirectional) → 450 GB/s each way.
  nvlinkBandwidth: 450e9,
};

/** NVIDIA H200 SXM 141GB. */
export const H200_SXM: GpuSpec = {
  id: "h200",
  name: "NVIDIA H200 SXM 141GB",
  // Datasheet: 141 GB HBM3e; nvidia-smi reports 143,771 MiB total.
  memoryBytes: 143_771 * MiB,
  // Datasheet: 4.8 TB/s.
  hbmBandwidth: 4.8e12,
  // Datasheet: 1,979 TFLOP/s BF16 with sparsity (same compute die as H100) → 989 dense.
  denseBf16Flops: 989e12,
  // Datasheet: NVLink 900 GB/s (bidirectional).
  nvlinkBandwidth: 450e9,
};

export const GPUS: Readonly<Record<string, GpuSpec>> = { h100: H100_SXM, h200: H200_SXM };
