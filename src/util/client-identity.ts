/**
 * How pi names itself to providers (pi 1.6.0's detailed User-Agent): `pi/<version> (<platform>; <runtime>/<runtime
 * version>; <arch>)`, e.g. `pi/0.2.0 (linux; bun/1.4.5; x64)`. The version is this build's.
 */
import { VERSION } from "../version.ts";

export function clientUserAgent(): string {
	const runtime = process.versions.bun ? `bun/${process.versions.bun}` : `node/${process.version}`;
	return `pi/${VERSION} (${process.platform}; ${runtime}; ${process.arch})`;
}
