/**
 * `flow volumes list | create | delete`: the project's persistent volumes. Volumes live in one
 * region and attach only to bids there; a volume in use by a live bid cannot be deleted (the API
 * refuses; flow says which bids use it).
 */
import { NotFoundError } from "../../api/errors.ts";
import type { VolumeModel } from "../../api/models.ts";
import { type CliIo, EXIT, UsageError } from "../io.ts";
import { type RemoteFlags, table, withRemote } from "./remote.ts";

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function volumesTable(volumes: readonly VolumeModel[]): string {
  if (volumes.length === 0) return "no volumes\n";
  return table(
    ["NAME", "VOLUME", "REGION", "SIZE GB", "INTERFACE", "USED BY"],
    volumes.map((v) => [
      v.name,
      v.fid,
      v.region,
      String(v.capacity_gb),
      v.interface,
      [...(v.bids ?? []), ...(v.reservations ?? [])].join(", ") || "-",
    ]),
  );
}

export async function volumesListCommand(
  io: CliIo,
  flags: RemoteFlags & { region?: string; json?: boolean },
): Promise<number> {
  return withRemote(io, flags, async ({ client, project }) => {
    const volumes = await client.listVolumes({
      project: await project(),
      ...(flags.region ? { region: flags.region } : {}),
    });
    io.stdout(flags.json ? `${JSON.stringify(volumes, null, 2)}\n` : volumesTable(volumes));
    return EXIT.ok;
  });
}

export async function volumesCreateCommand(
  io: CliIo,
  name: string,
  flags: RemoteFlags & { size: string; region: string; interface?: string; json?: boolean },
): Promise<number> {
  if (!NAME.test(name) || name.length > 64)
    throw new UsageError(
      `volume names are lowercase letters, digits and dashes, starting with a letter (at most 64): \`${name}\``,
    );
  const size = Number(flags.size);
  if (!Number.isInteger(size) || size < 1 || size > 32000)
    throw new UsageError(`--size must be a whole number of GB from 1 to 32000, not \`${flags.size}\``);
  const iface = (flags.interface ?? "block").toLowerCase();
  if (iface !== "block" && iface !== "file")
    throw new UsageError(`--interface must be block or file, not \`${flags.interface}\``);
  return withRemote(io, flags, async ({ client, project }) => {
    const created = await client.createVolume({
      name,
      project: await project(),
      disk_interface: iface === "file" ? "File" : "Block",
      region: flags.region,
      size_gb: size,
    });
    const v = created.value;
    io.stdout(
      flags.json
        ? `${JSON.stringify(v, null, 2)}\n`
        : `created volume \`${v.name}\` ${v.fid} (${v.capacity_gb} GB, ${v.interface}) in ${v.region}\n`,
    );
    return EXIT.ok;
  });
}

export async function volumesDeleteCommand(
  io: CliIo,
  handle: string,
  flags: RemoteFlags & { region?: string },
): Promise<number> {
  return withRemote(io, flags, async ({ client, project }) => {
    const volumes = await client.listVolumes({
      project: await project(),
      ...(flags.region ? { region: flags.region } : {}),
    });
    const matches = volumes.filter((v) => v.fid === handle || v.name === handle);
    if (matches.length === 0)
      throw new NotFoundError(`no volume \`${handle}\`${flags.region ? ` in ${flags.region}` : ""}`, [
        "`flow volumes list` shows the project's volumes",
      ]);
    if (matches.length > 1)
      throw new UsageError(
        `\`${handle}\` names ${matches.length} volumes (${matches.map((v) => `${v.fid} in ${v.region}`).join(", ")}): give the FID or --region`,
      );
    const volume = matches[0]!;
    await client.deleteVolume(volume.fid);
    io.stdout(`deleted volume \`${volume.name}\` ${volume.fid}\n`);
    return EXIT.ok;
  });
}
