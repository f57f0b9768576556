// Filesystem predicates that answer false instead of throwing (missing, unreadable or
// broken-link paths), shared by the config file search and the inventory loaders.
import * as fs from 'fs';

export function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Readable by this process, whatever its type (an inventory source may be a device or a FIFO). */
export function isReadable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** A regular file this process can read (a directory or device does not count). */
export function isReadableFile(p: string): boolean {
  return isReadable(p) && isFile(p);
}
