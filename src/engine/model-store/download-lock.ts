// One downloader per file across processes: `<file>.partial.lock` holds the owner's pid. Two processes appending
// to the same `.partial` would interleave bytes; a lock left by a dead process is taken over.
import { open, readFile, unlink } from "node:fs/promises";
import { GatewayError } from "../../errors/index.js";

export async function acquireDownloadLock(path: string): Promise<() => Promise<void>> {
  const lockPath = `${path}.partial.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(lockPath, "wx");
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => unlink(lockPath).catch(() => undefined);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = Number((await readFile(lockPath, "utf8").catch(() => "")).trim());
      // Our own pid means a lock this process left behind (pulls inside one process are de-duplicated before this).
      if (Number.isSafeInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new GatewayError(
          "overloaded",
          `${path} is being downloaded by another inhouse process (pid ${owner}). Wait for it to finish, or stop it and pull again to resume.`,
          { retryAfter: 30 },
        );
      }
      await unlink(lockPath).catch(() => undefined);
    }
  }
  throw new GatewayError("internal", `Could not take the download lock ${lockPath}; remove it if no inhouse process is pulling this file.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
