/**
 * The API's resources as the client reads them (fcp-api.md §5; OAS26 field names). Only the fields
 * flow uses are typed; unknown fields are kept and ignored, unknown enum values do not crash.
 */

export type BidStatus = "Open" | "Allocated" | "Preempting" | "Terminated" | "Paused" | (string & {});

export interface BidModel {
  readonly fid: string;
  readonly name: string;
  readonly project: string;
  readonly created_at: string;
  readonly deactivated_at?: string | null;
  readonly limit_price: string;
  readonly instance_quantity: number;
  readonly instance_type: string;
  readonly region?: string | null;
  /** Instance FIDs, empty until allocation. */
  readonly instances: readonly string[];
  readonly status: BidStatus;
  readonly launch_specification?: {
    readonly volumes?: readonly string[];
    readonly ssh_keys?: readonly string[];
    readonly startup_script?: string | null;
  };
}

export interface InstanceModel {
  readonly fid: string;
  readonly name: string;
  readonly project?: string;
  readonly created_at?: string;
  readonly instance_type: string;
  /** `STATUS_RUNNING`, `STATUS_PREEMPTING`, … (fcp-api.md §6.2). */
  readonly status: string;
  readonly region?: string | null;
  readonly bid?: string | null;
  readonly ssh_destination?: string | null;
  readonly private_ip?: string | null;
  /** When a preempting/relocating instance stops (from `/instances/{fid}/status`, when known). */
  readonly end_time?: string | null;
}

export interface VolumeModel {
  readonly fid: string;
  readonly name: string;
  readonly region: string;
  readonly created_at?: string;
  readonly capacity_gb: number;
  readonly project?: string;
  readonly interface: string;
  readonly bids?: readonly string[];
  readonly reservations?: readonly string[];
  readonly attachments?: Readonly<Record<string, string>> | null;
  readonly deleted_at?: string | null;
}

export interface SshKeyModel {
  readonly fid: string;
  readonly name: string;
  readonly project?: string;
  readonly public_key?: string;
  readonly required?: boolean;
  readonly created_at?: string;
}

export interface ProjectModel {
  readonly fid: string;
  readonly name: string;
  readonly created_at?: string;
}

/** A bid request body (`POST /v2/spot/bids`). */
export interface CreateBidBody {
  readonly project: string;
  readonly region: string;
  readonly instance_type: string;
  readonly limit_price: string;
  readonly instance_quantity: number;
  readonly name: string;
  readonly launch_specification: {
    readonly volumes: readonly string[];
    readonly ssh_keys: readonly string[];
    readonly startup_script?: string | null;
  };
}

export interface CreateVolumeBody {
  readonly name: string;
  readonly project: string;
  readonly disk_interface: "Block" | "File";
  readonly region: string;
  readonly size_gb: number;
}

/** Where to SSH to: `ssh_destination` is a host or `host:port` (fcp-api.md §11 #9); port 22 by default. */
export function parseSshDestination(destination: string): { host: string; port: number } {
  const match = /^(.*):(\d{1,5})$/.exec(destination);
  if (match && !match[1]!.includes(":")) return { host: match[1]!, port: Number(match[2]) };
  const bracketed = /^\[(.*)\]:(\d{1,5})$/.exec(destination);
  if (bracketed) return { host: bracketed[1]!, port: Number(bracketed[2]) };
  return { host: destination, port: 22 };
}
