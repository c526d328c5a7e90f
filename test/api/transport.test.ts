/** The undici transport against a real local server: an answer too large to be the API is refused. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, test } from "vitest";
import { ProtocolError } from "../../src/api/errors.ts";
import { MAX_BODY_BYTES, undiciTransport } from "../../src/api/transport.ts";

async function serve(body: (size: number) => Buffer | string, size: number) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body(size));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("undiciTransport", () => {
  test("a body over MAX_BODY_BYTES is a ProtocolError, not read whole; a UTF-8 BOM is dropped", async () => {
    const big = await serve((n) => Buffer.alloc(n, 0x20), MAX_BODY_BYTES + 1);
    const small = await serve(() => '\uFEFF["é"]', 0);
    const transport = undiciTransport();
    try {
      const request = (url: string) =>
        transport({ method: "GET", url: `${url}/v2/projects`, headers: {}, timeoutMs: 20_000 });
      const error = await request(big.url).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).message).toContain("larger than");
      const ok = await request(small.url);
      expect(ok.text).toBe('["é"]');
    } finally {
      await transport.close();
      big.server.closeAllConnections();
      big.server.close();
      small.server.close();
    }
  });
});
