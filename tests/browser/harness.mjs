// Shared helpers for the browser tests: a real `loket serve` on a fresh database and headless
// Debian Chromium driven by playwright-core.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const DATA_KEY = "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=";

export async function startLoket(extraEnv = {}) {
  const binary = process.env.LOKET_BINARY;
  const source = process.env.LOKET_SOURCE_DIR;
  if (!binary || !source) throw new Error("LOKET_BINARY and LOKET_SOURCE_DIR must be set (CTest sets them)");
  const dir = mkdtempSync(join(tmpdir(), "loket-browser-"));
  const env = {
    ...process.env,
    LOKET_DB: join(dir, "loket.db"),
    LOKET_LISTEN: "127.0.0.1:0",
    LOKET_CONTENT_DIR: join(source, "content"),
    LOKET_DATA_KEY: DATA_KEY,
    ...extraEnv,
  };
  const child = spawn(binary, ["serve"], { env, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  // Start-up builds the knowledge index: slow under ASan beside other tests; this only catches hangs.
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("loket did not start:\n" + log)), 120000);
    child.stderr.on("data", (chunk) => {
      log += chunk;
      const m = log.match(/"event":"listening"[^\n]*"port":(\d+)/) || log.match(/"port":(\d+)[^\n]*"event":"listening"/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`loket exited ${code}:\n${log}`)); });
  });
  return {
    port,
    dir,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
}
