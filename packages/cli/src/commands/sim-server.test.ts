import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// `weir sim-server` as a user runs it: the built CLI in a child process.
const MAIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));

function run(args: string[]) {
  const child = spawn(process.execPath, [MAIN, "sim-server", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<{ url: string; model: string; lines: string[] }>((resolve, reject) => {
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on("line", (line) => {
      lines.push(line);
      if (line.startsWith("WEIR_READY ")) resolve({ ...(JSON.parse(line.slice(11)) as { url: string; model: string }), lines });
    });
    void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  return { child, ready, exited, stderr: () => stderr };
}

describe("weir sim-server", () => {
  it("prints its URL, serves the preset's model, and stops cleanly on SIGTERM", async () => {
    const p = run(["--port", "0", "--speedup", "100"]);
    const { url, model, lines } = await p.ready;
    expect(model).toBe("meta-llama/Llama-3.1-8B-Instruct");
    expect(lines[0]).toBe("weir sim-server: serving meta-llama/Llama-3.1-8B-Instruct (preset llama-3.1-8b/h100, speedup 100×, filler answers)");
    expect(lines.join("\n")).toContain(`OpenAI-compatible API:  ${url}`);
    const models = (await (await fetch(`${url}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual([model]);
    const res = await fetch(`${url}/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model, prompt: "Hello", max_tokens: 4 }),
    });
    expect(((await res.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens).toBeLessThanOrEqual(4);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });

  it.each([
    [["--replay", "gsm8k"], /--replay takes <dataset>:<model column>/],
    [["--preset", "gpt/tpu"], /unknown sim preset "gpt\/tpu": use "<model>\/<gpu>"/],
    [["--speedup", "0"], /--speedup must be a number > 0 \(got "0"\)/],
    [["--replay", "gsm8k:gpt-5"], /dataset "gsm8k" has no model "gpt-5"/],
  ])("refuses %j with a sentence and exit code 2", async (args, message) => {
    const p = run(args);
    p.ready.catch(() => undefined);
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toMatch(/^weir sim-server: /);
    expect(p.stderr()).toMatch(message);
  });
});
