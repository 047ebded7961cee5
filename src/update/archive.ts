/**
 * The two release archive formats, written by build.ts and read by `pi update`: `.tar.gz` (ustar inside gzip)
 * for Linux and macOS, `.zip` (deflate) for Windows. Our archives hold regular files only; the reader also
 * accepts what GNU tar, bsdtar and common zip tools write for such files (pax/GNU long-name headers, directory
 * entries, data descriptors), so an archive repacked by hand still installs.
 *
 * Written here rather than by calling `tar`/`zip`: the output is byte-for-byte reproducible on every OS (fixed
 * owner, mtime and order), and the updater needs no external tool on Windows.
 */
import { deflateRawSync, gunzipSync, gzipSync, inflateRawSync } from "node:zlib";

export interface ArchiveEntry {
	name: string;
	data: Uint8Array;
	/** Unix permission bits, e.g. 0o755 for an executable. */
	mode: number;
}

/** 2020-01-01T00:00:00Z: a fixed timestamp so that the same input gives the same archive. */
const FIXED_MTIME = 1_577_836_800;
const BLOCK = 512;

function writeString(header: Uint8Array, offset: number, length: number, value: string): void {
	const bytes = new TextEncoder().encode(value);
	if (bytes.length > length) throw new Error(`tar: "${value}" does not fit in ${length} bytes`);
	header.set(bytes, offset);
}

function writeOctal(header: Uint8Array, offset: number, length: number, value: number): void {
	writeString(header, offset, length, `${value.toString(8).padStart(length - 1, "0")}\0`);
}

function tarHeader(entry: ArchiveEntry): Uint8Array {
	const header = new Uint8Array(BLOCK);
	writeString(header, 0, 100, entry.name);
	writeOctal(header, 100, 8, entry.mode & 0o7777);
	writeOctal(header, 108, 8, 0); // uid
	writeOctal(header, 116, 8, 0); // gid
	writeOctal(header, 124, 12, entry.data.length);
	writeOctal(header, 136, 12, FIXED_MTIME);
	header.fill(0x20, 148, 156); // checksum field counts as spaces while summing
	header[156] = 0x30; // "0": regular file
	writeString(header, 257, 6, "ustar\0");
	writeString(header, 263, 2, "00");
	writeString(header, 265, 32, "root");
	writeString(header, 297, 32, "root");
	let sum = 0;
	for (const byte of header) sum += byte;
	writeString(header, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
	return header;
}

function padding(length: number): number {
	return (BLOCK - (length % BLOCK)) % BLOCK;
}

export function createTar(entries: readonly ArchiveEntry[]): Uint8Array {
	const parts: Uint8Array[] = [];
	for (const entry of entries) {
		parts.push(tarHeader(entry), entry.data, new Uint8Array(padding(entry.data.length)));
	}
	parts.push(new Uint8Array(BLOCK * 2)); // end-of-archive marker
	return concat(parts);
}

export function createTarGz(entries: readonly ArchiveEntry[], level = 9): Uint8Array {
	return gzipSync(createTar(entries), { level });
}

function readString(bytes: Uint8Array, offset: number, length: number): string {
	const slice = bytes.subarray(offset, offset + length);
	const end = slice.indexOf(0);
	return new TextDecoder().decode(end === -1 ? slice : slice.subarray(0, end));
}

function readOctal(bytes: Uint8Array, offset: number, length: number): number {
	const text = readString(bytes, offset, length).trim();
	return text === "" ? 0 : Number.parseInt(text, 8);
}

/** The `path=` record of a pax extended header, if any. */
function paxPath(data: Uint8Array): string | undefined {
	const text = new TextDecoder().decode(data);
	for (const line of text.split("\n")) {
		const match = /^\d+ path=(.*)$/.exec(line);
		if (match?.[1] !== undefined) return match[1];
	}
	return undefined;
}

/** Regular files of a tar archive; directories, links and metadata records are skipped. */
export function readTar(tar: Uint8Array): ArchiveEntry[] {
	const entries: ArchiveEntry[] = [];
	let offset = 0;
	let longName: string | undefined;
	while (offset + BLOCK <= tar.length) {
		const header = tar.subarray(offset, offset + BLOCK);
		if (header.every((byte) => byte === 0)) break;
		const stored = readOctal(header, 148, 8);
		let sum = 0;
		for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
		if (sum !== stored) throw new Error("not a tar archive (bad header checksum)");
		const size = readOctal(header, 124, 12);
		const type = String.fromCharCode(header[156] ?? 0);
		const dataStart = offset + BLOCK;
		if (dataStart + size > tar.length) throw new Error("tar archive is truncated");
		const data = tar.subarray(dataStart, dataStart + size);
		offset = dataStart + size + padding(size);
		if (type === "L") {
			longName = readString(data, 0, data.length);
			continue;
		}
		if (type === "x") {
			longName = paxPath(data) ?? longName;
			continue;
		}
		const prefix = readString(header, 345, 155);
		const name = longName ?? (prefix ? `${prefix}/${readString(header, 0, 100)}` : readString(header, 0, 100));
		longName = undefined;
		if (type === "0" || type === "\0") entries.push({ name, data, mode: readOctal(header, 100, 8) });
	}
	return entries;
}

export function readTarGz(archive: Uint8Array): ArchiveEntry[] {
	let tar: Uint8Array;
	try {
		tar = gunzipSync(archive);
	} catch (error) {
		throw new Error(`not a gzip archive: ${error instanceof Error ? error.message : String(error)}`);
	}
	return readTar(tar);
}

// --- zip -------------------------------------------------------------------------------------------------------

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
/** 1980-01-01 00:00 in MS-DOS date/time: zip's earliest date, fixed for reproducible archives. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

export function createZip(entries: readonly ArchiveEntry[], level = 9): Uint8Array {
	const locals: Uint8Array[] = [];
	const centrals: Uint8Array[] = [];
	let offset = 0;
	for (const entry of entries) {
		const name = new TextEncoder().encode(entry.name);
		const compressed = deflateRawSync(entry.data, { level });
		const crc = Bun.hash.crc32(entry.data);
		const local = new DataView(new ArrayBuffer(30));
		local.setUint32(0, LOCAL_HEADER, true);
		local.setUint16(4, 20, true); // version needed: 2.0 (deflate)
		local.setUint16(6, 0x0800, true); // UTF-8 names
		local.setUint16(8, 8, true); // deflate
		local.setUint16(10, DOS_TIME, true);
		local.setUint16(12, DOS_DATE, true);
		local.setUint32(14, crc, true);
		local.setUint32(18, compressed.length, true);
		local.setUint32(22, entry.data.length, true);
		local.setUint16(26, name.length, true);
		local.setUint16(28, 0, true);
		locals.push(new Uint8Array(local.buffer), name, compressed);

		const central = new DataView(new ArrayBuffer(46));
		central.setUint32(0, CENTRAL_HEADER, true);
		central.setUint16(4, (3 << 8) | 20, true); // made by Unix, so the external attributes carry the mode
		central.setUint16(6, 20, true);
		central.setUint16(8, 0x0800, true);
		central.setUint16(10, 8, true);
		central.setUint16(12, DOS_TIME, true);
		central.setUint16(14, DOS_DATE, true);
		central.setUint32(16, crc, true);
		central.setUint32(20, compressed.length, true);
		central.setUint32(24, entry.data.length, true);
		central.setUint16(28, name.length, true);
		central.setUint32(38, ((0o100000 | (entry.mode & 0o7777)) << 16) >>> 0, true);
		central.setUint32(42, offset, true);
		centrals.push(new Uint8Array(central.buffer), name);
		offset += 30 + name.length + compressed.length;
	}
	const centralSize = centrals.reduce((total, part) => total + part.length, 0);
	const end = new DataView(new ArrayBuffer(22));
	end.setUint32(0, END_OF_CENTRAL, true);
	end.setUint16(8, entries.length, true);
	end.setUint16(10, entries.length, true);
	end.setUint32(12, centralSize, true);
	end.setUint32(16, offset, true);
	return concat([...locals, ...centrals, new Uint8Array(end.buffer)]);
}

/** Files of a zip archive (stored or deflated), found through its central directory. */
export function readZip(zip: Uint8Array): ArchiveEntry[] {
	const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
	let endOffset = -1;
	for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
		if (view.getUint32(i, true) === END_OF_CENTRAL) {
			endOffset = i;
			break;
		}
	}
	if (endOffset < 0) throw new Error("not a zip archive (no end of central directory)");
	const count = view.getUint16(endOffset + 10, true);
	let cursor = view.getUint32(endOffset + 16, true);
	const entries: ArchiveEntry[] = [];
	for (let i = 0; i < count; i++) {
		if (cursor + 46 > zip.length || view.getUint32(cursor, true) !== CENTRAL_HEADER) {
			throw new Error("zip archive is damaged (bad central directory)");
		}
		const method = view.getUint16(cursor + 10, true);
		const crc = view.getUint32(cursor + 16, true);
		const compressedSize = view.getUint32(cursor + 20, true);
		const size = view.getUint32(cursor + 24, true);
		const nameLength = view.getUint16(cursor + 28, true);
		const extraLength = view.getUint16(cursor + 30, true);
		const commentLength = view.getUint16(cursor + 32, true);
		const madeByUnix = view.getUint16(cursor + 4, true) >> 8 === 3;
		const external = view.getUint32(cursor + 38, true);
		const localOffset = view.getUint32(cursor + 42, true);
		const name = new TextDecoder().decode(zip.subarray(cursor + 46, cursor + 46 + nameLength));
		cursor += 46 + nameLength + extraLength + commentLength;
		if (name.endsWith("/")) continue;
		if (view.getUint32(localOffset, true) !== LOCAL_HEADER) throw new Error(`zip entry ${name} is damaged`);
		const dataStart =
			localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
		if (dataStart + compressedSize > zip.length) throw new Error("zip archive is truncated");
		const raw = zip.subarray(dataStart, dataStart + compressedSize);
		let data: Uint8Array;
		if (method === 0) data = raw;
		else if (method === 8) data = inflateRawSync(raw);
		else throw new Error(`zip entry ${name} uses unsupported compression method ${method}`);
		if (data.length !== size || Bun.hash.crc32(data) !== crc) throw new Error(`zip entry ${name} is damaged (CRC)`);
		entries.push({ name, data, mode: madeByUnix ? (external >>> 16) & 0o7777 : 0o644 });
	}
	return entries;
}

export function readArchive(fileName: string, bytes: Uint8Array): ArchiveEntry[] {
	if (fileName.endsWith(".zip")) return readZip(bytes);
	if (fileName.endsWith(".tar.gz") || fileName.endsWith(".tgz")) return readTarGz(bytes);
	throw new Error(`unknown archive type: ${fileName}`);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
	const total = parts.reduce((sum, part) => sum + part.length, 0);
	const out = new Uint8Array(total);
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}
