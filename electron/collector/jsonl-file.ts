// `netwatch record`'s output: one JSON document per line, and only whole lines. Each line is written
// synchronously; a write that fails (ENOSPC on a full disk, EIO, EFBIG) is cut off again, so the file
// ends with the last whole line and a replay never meets half a snapshot.
import fs from 'node:fs';

export class JsonlFile {
  #fd: number;
  /** Bytes of whole lines in the file. */
  #size = 0;
  lines = 0;

  constructor(file: string) { this.#fd = fs.openSync(file, 'w', 0o644); }

  /** Appends one line; returns why it could not be written (the file is left as before), or null. */
  append(json: string): string | null {
    const buf = Buffer.from(json + '\n');
    try {
      // writeSync may write part of the buffer (a disk filling up): go on until it is all out or it throws.
      for (let off = 0; off < buf.length;) off += fs.writeSync(this.#fd, buf, off, buf.length - off, this.#size + off);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      try { fs.ftruncateSync(this.#fd, this.#size); } catch { /* nothing more can be done */ }
      return err.code === 'ENOSPC' ? 'no space left on the device (ENOSPC)' : `write failed: ${err.message}`;
    }
    this.#size += buf.length;
    this.lines++;
    return null;
  }

  close(): void { try { fs.closeSync(this.#fd); } catch { /* already closed */ } }
}
