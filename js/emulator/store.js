// Optional persistence: a snapshot file plus an append-only journal, so that a write costs
// what it changes (not the size of the whole state), is durable before it is acknowledged,
// and survives a crash (kill -9, power loss) at any moment.
//
//   <dataFile>              the snapshot: {"format":"signalkit-emulator","version":1,
//                           "feedAnchorMs",…,"puffle":[[tenant, data]],"saber":[[tenant,
//                           {"versions":[…]}]]}, replaced atomically (temporary file, fsync,
//                           rename, fsync of the directory)
//   <dataFile>.journal      one JSON line per acknowledged change, appended and fdatasynced
//                           before the answer is sent: {"p":[tenant, data]} (a Puffle tenant,
//                           which the API keeps small) or {"s":[tenant, [version, …]]} (the
//                           Saber versions a request wrote)
//   <dataFile>.journal.old  the journal being folded into a new snapshot (compaction)
//
// A clean shutdown (close()) and every start fold the journals into the snapshot.
// Every journal entry sets records to absolute values, so replaying an entry twice (after a
// crash between writing a snapshot and dropping the journal it contains) changes nothing. A
// last line without its newline is a write the crash cut short; it was never acknowledged
// and is dropped. Compaction starts when the journal outgrows the snapshot (and 4 MiB), so
// a write costs O(change) amortised; it writes the new snapshot in the background, one
// tenant at a time, while new changes go to a fresh journal.
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';

const FORMAT = 'signalkit-emulator';
const COMPACT_MIN_BYTES = 4 << 20;

function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw new Error(`cannot read ${file}: ${err.message}`);
  }
}

function fsyncDir(dir) {
  let fd;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A state being loaded: the snapshot's, then each journal entry applied in order. */
function emptyState() {
  return { feedAnchorMs: undefined, puffle: new Map(), saber: new Map() };
}

function applyEntry(state, entry) {
  if (Array.isArray(entry.p)) {
    const [tenant, data] = entry.p;
    state.puffle.set(tenant, data);
  } else if (Array.isArray(entry.s)) {
    const [tenant, versions] = entry.s;
    let records = state.saber.get(tenant);
    if (!records) state.saber.set(tenant, (records = new Map()));
    for (const v of versions) records.set(v.id, v);
  } else {
    return false;
  }
  return true;
}

// The entries of a journal; drops a last line a crash left without its newline (and, with
// `repair`, cuts the file off before it). Any other line that does not read is corruption:
// refused.
function replay(file, state, repair) {
  const text = readText(file);
  if (text === null) return 0;
  let at = 0;
  let line = 0;
  while (at < text.length) {
    const end = text.indexOf('\n', at);
    if (end < 0) {
      if (repair) fs.truncateSync(file, Buffer.byteLength(text.slice(0, at)));
      break;
    }
    line++;
    let entry;
    try {
      entry = JSON.parse(text.slice(at, end));
    } catch {
      entry = null;
    }
    if (!entry || !applyEntry(state, entry)) {
      throw new Error(`${file} line ${line} is not a journal entry; the state cannot be read safely (move the file away or restore it)`);
    }
    at = end + 1;
  }
  return line;
}

// The snapshot of `file` and its journals replayed: {state, snapshotBytes, fresh, replayed}.
function load(file, repair) {
  const state = emptyState();
  const text = readText(file);
  let snapshotBytes = 0;
  if (text !== null) {
    let data;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new Error(`dataFile ${file} is not valid JSON (${err.message}); move it away or fix it`);
    }
    if (!data || data.format !== FORMAT || data.version !== 1) {
      throw new Error(`dataFile ${file} is not a signalkit emulator state file (format/version mismatch)`);
    }
    state.feedAnchorMs = data.feedAnchorMs;
    for (const [tenant, d] of data.puffle ?? []) state.puffle.set(tenant, d);
    for (const [tenant, d] of data.saber ?? []) state.saber.set(tenant, new Map(d.versions.map((v) => [v.id, v])));
    snapshotBytes = Buffer.byteLength(text);
  }
  const journal = `${file}.journal`;
  const replayed = replay(`${journal}.old`, state, repair) + replay(journal, state, repair);
  return { state, snapshotBytes, fresh: text === null, replayed };
}

/**
 * The state saved in `file` (its snapshot with its journal replayed), in the snapshot's
 * format, without changing anything on disk: for tests and tools that look inside.
 */
export function readState(file) {
  const { state } = load(path.resolve(file), false);
  return {
    format: FORMAT,
    version: 1,
    feedAnchorMs: state.feedAnchorMs,
    puffle: [...state.puffle],
    saber: [...state.saber].map(([tenant, versions]) => [tenant, { versions: [...versions.values()] }]),
  };
}

export class Store {
  #file;
  #dir;
  #journal;
  #fd = null;
  #journalBytes = 0;
  #snapshotBytes = 0;
  #compaction = null;
  #compactionFailed = false;
  #closing = false;
  #replayed = 0;
  #fresh = false;
  #snapshot = null;
  #log;

  /**
   * Reads `file`: removes temporary files a crash left, reads the snapshot and replays the
   * journals into `loaded` ({feedAnchorMs, puffle: Map(tenant -> data), saber: Map(tenant ->
   * Map(version id -> record))}). A file that is not a state file is refused (never
   * overwritten). Call open() once the state is built from `loaded`.
   */
  constructor(file, { log }) {
    this.#file = path.resolve(file);
    this.#dir = path.dirname(this.#file);
    this.#journal = `${this.#file}.journal`;
    this.#log = log;
    this.removeTemporaryFiles();
    const { state, snapshotBytes, fresh, replayed } = load(this.#file, true);
    this.#snapshotBytes = snapshotBytes;
    this.#fresh = fresh;
    this.#replayed = replayed;
    /** What the files held. */
    this.loaded = state;
  }

  /**
   * Starts taking writes. `snapshot()` gives the live state's snapshot text as chunks
   * (snapshotChunks). A fresh file gets its snapshot now (the feed anchor is durable
   * before any write); journal entries a restart replayed are folded into one.
   */
  open(snapshot) {
    this.#snapshot = snapshot;
    if (this.#fresh || this.#replayed > 0) this.#writeSnapshotSync();
    this.#fd = fs.openSync(this.#journal, 'a', 0o600);
    this.#journalBytes = fs.fstatSync(this.#fd).size;
  }

  /** Temporary files of snapshots a crash interrupted (ours only: `.<name>.<pid>.tmp`). */
  removeTemporaryFiles() {
    const prefix = `.${path.basename(this.#file)}.`;
    let names = [];
    try {
      names = fs.readdirSync(this.#dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith(prefix) && /^\d+\.tmp$/.test(name.slice(prefix.length))) {
        fs.rmSync(path.join(this.#dir, name), { force: true });
        this.#log('info', `removed ${name}, a temporary file an earlier run left behind`);
      }
    }
  }

  /**
   * Appends one change (a JSON text without newlines) and makes it durable. Throws when the
   * disk refuses; the caller answers 500 and the change stays in memory only.
   */
  append(entryText) {
    const line = Buffer.from(`${entryText}\n`);
    fs.writeSync(this.#fd, line);
    fs.fdatasyncSync(this.#fd);
    this.#journalBytes += line.length;
    if (!this.#compaction && !this.#compactionFailed && !this.#closing
        && this.#journalBytes > Math.max(COMPACT_MIN_BYTES, this.#snapshotBytes)) {
      this.#compaction = this.#compact().catch((err) => {
        // The journals keep every change; the next start folds them (never a second
        // rotation over a journal.old that is not in a snapshot yet).
        this.#compactionFailed = true;
        this.#log('error', `compacting ${this.#file} failed (the journal keeps every change): ${err.message}`);
      }).finally(() => { this.#compaction = null; });
    }
  }

  /**
   * Waits for a compaction in progress to stop, then folds the journal into the snapshot,
   * so that after a clean shutdown the data file alone holds the state; the store takes no
   * more writes.
   */
  async close() {
    if (this.#closing) return;
    this.#closing = true;
    await this.#compaction;
    if (this.#fd === null) return;
    fs.closeSync(this.#fd);
    this.#fd = null;
    if (this.#journalBytes > 0 || fs.existsSync(`${this.#journal}.old`)) this.#writeSnapshotSync();
  }

  #tmpName() {
    return path.join(this.#dir, `.${path.basename(this.#file)}.${process.pid}.tmp`);
  }

  // The snapshot, written at once (start-up), then the journals it contains removed.
  #writeSnapshotSync() {
    const tmp = this.#tmpName();
    const fd = fs.openSync(tmp, 'w', 0o600);
    let bytes = 0;
    try {
      for (const chunk of this.#snapshot()) bytes += fs.writeSync(fd, chunk);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.#file);
    fsyncDir(this.#dir);
    fs.rmSync(`${this.#journal}.old`, { force: true });
    fs.rmSync(this.#journal, { force: true });
    fsyncDir(this.#dir);
    this.#snapshotBytes = bytes;
  }

  // Compaction in the background: new changes go to a fresh journal; the snapshot is
  // written a tenant at a time (each holds every change made before the switch, and
  // replaying the fresh journal over it is harmless), then replaces the old one.
  async #compact() {
    fs.closeSync(this.#fd);
    fs.renameSync(this.#journal, `${this.#journal}.old`);
    fsyncDir(this.#dir);
    this.#fd = fs.openSync(this.#journal, 'a', 0o600);
    this.#journalBytes = 0;
    const tmp = this.#tmpName();
    const handle = await fs.promises.open(tmp, 'w', 0o600);
    let bytes = 0;
    let done = false;
    try {
      for (const chunk of this.#snapshot()) {
        if (this.#closing) return; // the next start replays the journals instead
        bytes += (await handle.write(chunk)).bytesWritten;
        await nextTurn();
      }
      await handle.sync();
      done = true;
    } finally {
      await handle.close();
      if (!done) fs.rmSync(tmp, { force: true });
    }
    fs.renameSync(tmp, this.#file);
    fsyncDir(this.#dir);
    fs.rmSync(`${this.#journal}.old`, { force: true });
    this.#snapshotBytes = bytes;
    this.#log('info', `compacted ${this.#file} (${bytes} bytes)`);
  }
}

/**
 * The text of a snapshot, as chunks (one per tenant), from the live state: `puffle` and
 * `saber` are iterables of [tenant id, JSON text of its data].
 */
export function* snapshotChunks(feedAnchorMs, puffle, saber) {
  yield `{"format":"${FORMAT}","version":1,"feedAnchorMs":${JSON.stringify(feedAnchorMs)},"puffle":[`;
  let first = true;
  for (const [id, text] of puffle) {
    yield `${first ? '' : ','}[${JSON.stringify(id)},${text}]`;
    first = false;
  }
  yield '],"saber":[';
  first = true;
  for (const [id, text] of saber) {
    yield `${first ? '' : ','}[${JSON.stringify(id)},${text}]`;
    first = false;
  }
  yield ']}';
}
