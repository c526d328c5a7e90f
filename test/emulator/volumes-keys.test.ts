/** Volumes and SSH keys (fcp-api.md §5.6, §5.7, §12.8): shapes, validation, in-use rules. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { bidBody, call, schemaErrors, useEmulator } from "./helpers.ts";

const box = useEmulator({ seed: 41 });
const PUBLIC_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOpKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs me@laptop";

function volumeBody(overrides: Record<string, unknown> = {}) {
  return {
    name: "data",
    project: box.e.projectId,
    disk_interface: "Block",
    region: "us-central1-b",
    size_gb: 100,
    ...overrides,
  };
}

describe("volumes", () => {
  test("create → 201 VolumeModel (capacity_gb, interface, no status); list is a bare array", async () => {
    const r = await call(box.e, "POST", "/v2/volumes", volumeBody());
    expect(r.status).toBe(201);
    expect(schemaErrors("VolumeModel", r.body)).toBe("");
    expect(r.body).toMatchObject({
      name: "data",
      capacity_gb: 100,
      interface: "Block",
      bids: [],
      reservations: [],
      attachments: {},
      deleted_at: null,
    });
    expect(r.body).not.toHaveProperty("status");
    const list = await call(box.e, "GET", `/v2/volumes?project=${box.e.projectId}`);
    expect(schemaErrors("VolumeModel[]", list.body)).toBe("");
    expect(list.body.map((v: { fid: string }) => v.fid)).toEqual([r.body.fid]);
    expect(
      (await call(box.e, "GET", `/v2/volumes?project=${box.e.projectId}&region=eu-central1-a`)).body,
    ).toEqual([]);
  });

  test.each([
    [{ disk_interface: "block" }, "disk_interface", "enum"],
    [{ name: "Data" }, "name", "string_pattern_mismatch"],
    [{ name: "data-" }, "name", "string_pattern_mismatch"],
    [{ name: `a${"b".repeat(64)}` }, "name", "string_too_long"],
    [{ size_gb: 0 }, "size_gb", "greater_than"],
    [{ size_gb: 32_001 }, "size_gb", "less_than_equal"],
    [{ size_gb: "100" }, "size_gb", "int_type"],
  ])("%j → 422 on %s (%s)", async (change, field, type) => {
    const r = await call(box.e, "POST", "/v2/volumes", volumeBody(change));
    expect(r.status).toBe(422);
    expect(r.body.detail).toEqual([expect.objectContaining({ loc: ["body", field], type })]);
  });

  test("an empty body reports every required field", async () => {
    const r = await call(box.e, "POST", "/v2/volumes", {});
    expect(r.body.detail.map((d: { loc: string[]; type: string }) => `${d.loc[1]} ${d.type}`)).toEqual([
      "name missing",
      "project missing",
      "disk_interface missing",
      "region missing",
      "size_gb missing",
    ]);
  });

  test("an unknown region → 400", async () => {
    const r = await call(box.e, "POST", "/v2/volumes", volumeBody({ region: "nowhere" }));
    expect(r.status).toBe(400);
  });

  test("a volume in use by a live bid cannot be deleted; bids/attachments show the use; after cancel it can", async () => {
    const vol = (await call(box.e, "POST", "/v2/volumes", volumeBody())).body;
    const bid = await call(
      box.e,
      "POST",
      "/v2/spot/bids",
      bidBody(box.e, { launch_specification: { volumes: [vol.fid], ssh_keys: [] } }),
    );
    expect(bid.status).toBe(201);
    const [listed] = (await call(box.e, "GET", `/v2/volumes?project=${box.e.projectId}`)).body;
    const instances = (await call(box.e, "GET", `/v2/spot/bids/${bid.body.fid}`)).body.instances;
    expect(listed.bids).toEqual([bid.body.fid]);
    expect(listed.attachments).toEqual({ [instances[0]]: bid.body.fid });
    const refused = await call(box.e, "DELETE", `/v2/volumes/${vol.fid}`);
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain("in use");
    await call(box.e, "DELETE", `/v2/spot/bids/${bid.body.fid}`);
    const deleted = await call(box.e, "DELETE", `/v2/volumes/${vol.fid}`);
    expect(deleted.status).toBe(204);
    expect((await call(box.e, "GET", `/v2/volumes?project=${box.e.projectId}`)).body).toEqual([]);
    const withDeleted = await call(
      box.e,
      "GET",
      `/v2/volumes?project=${box.e.projectId}&include_deleted=true`,
    );
    expect(withDeleted.body[0].deleted_at).toBe(box.e.clock.now());
    expect((await call(box.e, "DELETE", `/v2/volumes/${vol.fid}`)).status).toBe(404);
  });

  test("a bid's volumes must be in its region; PATCH replaces the list with history events", async () => {
    const far = (
      await call(box.e, "POST", "/v2/volumes", volumeBody({ name: "far", region: "eu-central1-a" }))
    ).body;
    const near = (await call(box.e, "POST", "/v2/volumes", volumeBody({ name: "near" }))).body;
    const refused = await call(
      box.e,
      "POST",
      "/v2/spot/bids",
      bidBody(box.e, { launch_specification: { volumes: [far.fid], ssh_keys: [] } }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain("region");
    const bid = (await call(box.e, "POST", "/v2/spot/bids", bidBody(box.e))).body;
    const patched = await call(box.e, "PATCH", `/v2/spot/bids/${bid.fid}`, { volumes: [near.fid] });
    expect(patched.body.launch_specification.volumes).toEqual([near.fid]);
    const events = (await call(box.e, "GET", `/v2/spot/bids/${bid.fid}/history`)).body.events;
    expect(events.at(-1)).toMatchObject({
      event_type: "Volumes Attached",
      persistent_disk_change: { attached: near.fid, removed: null },
    });
    expect((await call(box.e, "PATCH", `/v2/spot/bids/${bid.fid}`, { volumes: [far.fid] })).status).toBe(400);
  });

  test("rename with PATCH", async () => {
    const vol = (await call(box.e, "POST", "/v2/volumes", volumeBody())).body;
    const r = await call(box.e, "PATCH", `/v2/volumes/${vol.fid}`, { name: "renamed" });
    expect(r.body.name).toBe("renamed");
    expect((await call(box.e, "PATCH", `/v2/volumes/${vol.fid}`, { name: "Bad Name" })).status).toBe(422);
  });
});

describe("SSH keys", () => {
  test("with a public key: 201, no private key; listed as NewSshKeyModel", async () => {
    const r = await call(box.e, "POST", "/v2/ssh-keys", {
      project: box.e.projectId,
      name: "laptop",
      public_key: PUBLIC_KEY,
    });
    expect(r.status).toBe(201);
    expect(schemaErrors("CreatedSshKeyModel", r.body)).toBe("");
    expect(r.body).toMatchObject({
      fid: expect.stringMatching(/^sshkey_[A-Za-z0-9]{16}$/),
      public_key: PUBLIC_KEY,
      required: false,
      private_key: null,
    });
    const list = await call(box.e, "GET", `/v2/ssh-keys?project=${box.e.projectId}`);
    expect(schemaErrors("NewSshKeyModel[]", list.body)).toBe("");
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).not.toHaveProperty("private_key");
  });

  test("without one: the server generates a pair; ssh-keygen derives the same public key from the private one", async () => {
    const r = await call(box.e, "POST", "/v2/ssh-keys", { project: box.e.projectId, name: "generated" });
    expect(r.status).toBe(201);
    const dir = mkdtempSync(join(tmpdir(), "flow-emu-key-"));
    const file = join(dir, "id");
    writeFileSync(file, r.body.private_key, { mode: 0o600 });
    const derived = execFileSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" }).trim();
    expect(r.body.public_key.startsWith(derived.split(" ").slice(0, 2).join(" "))).toBe(true);
  });

  test("a malformed public key → 400; a missing name → 422", async () => {
    expect(
      (
        await call(box.e, "POST", "/v2/ssh-keys", {
          project: box.e.projectId,
          name: "x",
          public_key: "not a key",
        })
      ).status,
    ).toBe(400);
    const r = await call(box.e, "POST", "/v2/ssh-keys", { project: box.e.projectId });
    expect(r.body.detail).toEqual([expect.objectContaining({ loc: ["body", "name"], type: "missing" })]);
  });

  test("PATCH required; a key used by a live bid cannot be deleted", async () => {
    const key = (
      await call(box.e, "POST", "/v2/ssh-keys", {
        project: box.e.projectId,
        name: "k",
        public_key: PUBLIC_KEY,
      })
    ).body;
    const patched = await call(box.e, "PATCH", `/v2/ssh-keys/${key.fid}`, { required: true });
    expect(patched.body.required).toBe(true);
    expect(schemaErrors("NewSshKeyModel", patched.body)).toBe("");
    const bid = (
      await call(
        box.e,
        "POST",
        "/v2/spot/bids",
        bidBody(box.e, { launch_specification: { volumes: [], ssh_keys: [key.fid] } }),
      )
    ).body;
    expect((await call(box.e, "DELETE", `/v2/ssh-keys/${key.fid}`)).status).toBe(400);
    await call(box.e, "DELETE", `/v2/spot/bids/${bid.fid}`);
    expect((await call(box.e, "DELETE", `/v2/ssh-keys/${key.fid}`)).status).toBe(204);
    expect((await call(box.e, "GET", `/v2/ssh-keys?project=${box.e.projectId}`)).body).toEqual([]);
  });
});
