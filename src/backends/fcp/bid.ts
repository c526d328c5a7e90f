/**
 * The bid request, exactly as `POST /v2/spot/bids` takes it (fcp-api.md §5.8): top-level
 * `project`, `region`, `instance_type` (a FID), `limit_price` ("$X.YY" per instance-hour),
 * `instance_quantity`, `name`, and `launch_specification` holding `volumes`, `ssh_keys` and
 * `startup_script`. Key order is fixed so output is byte-identical run to run.
 */

export interface LaunchSpecification {
  readonly volumes: readonly string[];
  readonly ssh_keys: readonly string[];
  readonly startup_script: string;
}

export interface BidRequest {
  /** Absent when the compile was given no project; `flow submit` fills it from the account. */
  readonly project?: string;
  readonly region: string;
  readonly instance_type: string;
  readonly limit_price: string;
  readonly instance_quantity: number;
  readonly name: string;
  readonly launch_specification: LaunchSpecification;
}

/** The parts a bid is made of, already resolved. */
export interface BidParts {
  readonly project?: string;
  readonly region: string;
  readonly fid: string;
  readonly limitPrice: string;
  readonly quantity: number;
  readonly name: string;
  readonly volumeIds: readonly string[];
  readonly sshKeys: readonly string[];
  readonly startupScript: string;
}

/** Builds the bid body with the contract's field names and a stable key order. */
export function buildBid(parts: BidParts): BidRequest {
  return {
    ...(parts.project !== undefined ? { project: parts.project } : {}),
    region: parts.region,
    instance_type: parts.fid,
    limit_price: parts.limitPrice,
    instance_quantity: parts.quantity,
    name: parts.name,
    launch_specification: {
      volumes: [...parts.volumeIds],
      ssh_keys: [...parts.sshKeys],
      startup_script: parts.startupScript,
    },
  };
}
