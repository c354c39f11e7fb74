import type { ServerResponse } from "node:http";

/**
 * Writes one server-sent event (`data: <json>`). When the socket's buffer is
 * full it waits until the client has read it (drain) or gone (close), so a
 * slow reader holds the writer back instead of filling memory.
 */
export async function writeSseEvent(res: ServerResponse, data: unknown): Promise<void> {
  if (res.write(`data: ${JSON.stringify(data)}\n\n`)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
