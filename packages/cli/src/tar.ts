import { gunzipSync } from 'node:zlib';

/**
 * A tiny reader for the tarballs `npm pack` writes (ustar, with pax or GNU long names): enough to
 * install a connector the way `logto connector add` does, without shelling out to tar.
 */
export type TarEntry = { path: string; type: 'file' | 'directory'; mode: number; data: Buffer };

const block = 512;

const text = (buffer: Buffer, start: number, length: number) => {
  const field = buffer.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
};

const octal = (buffer: Buffer, start: number, length: number): number => {
  const field = buffer.subarray(start, start + length);
  // GNU base-256 for sizes that do not fit in octal.
  if ((field[0]! & 0x80) !== 0) {
    return field.subarray(1).reduce((value, byte) => value * 256 + byte, field[0]! & 0x7f);
  }
  const digits = text(buffer, start, length).trim();
  return digits === '' ? 0 : Number.parseInt(digits, 8);
};

/** `27 path=package/lib/index.js\n` records of a pax extended header. */
const paxPath = (data: Buffer): string | undefined => {
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) {
      break;
    }
    const length = Number.parseInt(data.subarray(offset, space).toString('utf8'), 10);
    if (!Number.isFinite(length) || length <= 0) {
      break;
    }
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (record.slice(0, equals) === 'path') {
      return record.slice(equals + 1);
    }
    offset += length;
  }
  return undefined;
};

export const readTar = (archive: Buffer): TarEntry[] => {
  const buffer = archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive) : archive;
  const entries: TarEntry[] = [];
  let offset = 0;
  let longPath: string | undefined;

  while (offset + block <= buffer.length) {
    const header = buffer.subarray(offset, offset + block);
    if (header.every((byte) => byte === 0)) {
      break;
    }
    const stored = header.subarray(148, 156);
    const checksum = octal(header, 148, 8);
    const sum = header.reduce((total, byte, index) => total + (index >= 148 && index < 156 ? 0x20 : byte), 0);
    if (checksum !== sum) {
      throw new Error(`corrupt tarball: bad header checksum at byte ${offset} (${stored.toString('latin1').trim()})`);
    }
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const data = buffer.subarray(offset + block, offset + block + size);
    if (data.length < size) {
      throw new Error('corrupt tarball: truncated entry');
    }
    offset += block + Math.ceil(size / block) * block;

    if (type === 'x') {
      longPath = paxPath(data) ?? longPath;
      continue;
    }
    if (type === 'L') {
      longPath = text(data, 0, data.length);
      continue;
    }
    if (type === 'g') {
      continue;
    }
    const prefix = text(header, 345, 155);
    const name = text(header, 0, 100);
    const path = longPath ?? (prefix ? `${prefix}/${name}` : name);
    longPath = undefined;
    if (type === '0' || type === '7') {
      entries.push({ path, type: 'file', mode: octal(header, 100, 8), data: Buffer.from(data) });
    } else if (type === '5') {
      entries.push({ path, type: 'directory', mode: octal(header, 100, 8), data: Buffer.alloc(0) });
    }
    // Links and devices are never part of an npm package; they are skipped.
  }
  return entries;
};

/**
 * The entry's path without its first component (`package/lib/index.js` → `lib/index.js`), or
 * undefined for the top directory itself. Paths that would escape the target are refused.
 */
export const stripFirstComponent = (entryPath: string): string | undefined => {
  const parts = entryPath
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.');
  if (entryPath.startsWith('/') || parts.includes('..')) {
    throw new Error(`refusing a tarball entry outside the package: ${entryPath}`);
  }
  const rest = parts.slice(1);
  return rest.length > 0 ? rest.join('/') : undefined;
};
