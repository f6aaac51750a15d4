// Optional persistence: the whole state as one JSON file, replaced atomically.
import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads the state file, or returns null when it does not exist. A file that exists but
 * is not a state file is an error: the emulator refuses to start rather than overwrite it.
 */
export function loadState(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw new Error(`cannot read dataFile ${file}: ${err.message}`);
  }
  let data;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`dataFile ${file} is not valid JSON (${err.message}); move it away or fix it`);
  }
  if (!data || data.format !== 'signalkit-emulator' || data.version !== 1) {
    throw new Error(`dataFile ${file} is not a signalkit emulator state file (format/version mismatch)`);
  }
  return data;
}

/**
 * Writes `data` so that a crash at any moment leaves either the previous complete file or
 * the new complete file: write a temporary file in the same directory, fsync it, rename
 * it over the target (atomic on POSIX), then fsync the directory so the rename itself is
 * durable. Synchronous on purpose: the response is sent only after this returns.
 */
export function saveState(file, data) {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const text = JSON.stringify(data);
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  let dfd;
  try {
    dfd = fs.openSync(dir, 'r');
    fs.fsyncSync(dfd);
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    if (dfd !== undefined) fs.closeSync(dfd);
  }
}
