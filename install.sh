#!/bin/sh
# Installs or upgrades pi:   curl -fsSL https://github.com/pi-binary/pi/releases/latest/download/install.sh | sh
# Run `sh install.sh --help` for the options. POSIX sh; checked with shellcheck.
#
# Layout (shared with `pi update`, which reads install.json and switches versions the same way):
#   $PI_INSTALL_ROOT/versions/<version>/pi     every installed version; a version folder is never modified
#   $PI_INSTALL_ROOT/install.json              what was installed, from where, and the previous version
#   $PI_INSTALL_DIR/pi -> .../versions/<version>/pi   a symlink, switched atomically by rename
# A running pi keeps running: nothing it was started from is overwritten.
#
# Detection can be overridden (for tests, or when it guesses wrong): PI_INSTALL_OS (uname -s value),
# PI_INSTALL_ARCH (uname -m value), PI_INSTALL_LIBC (glibc|musl), PI_INSTALL_CPUINFO (file read instead of
# /proc/cpuinfo to look for AVX2), PI_INSTALL_LIBDIRS (folders searched for libstdc++ on musl).
#
# Everything happens inside main(), called on the last line, so a truncated download of this script runs nothing.

set -eu

usage() {
	cat <<'EOF'
Install pi, the terminal coding agent, or upgrade an installed one.

Usage: sh install.sh [--version <version>] [--dir <folder>] [--help]
       curl -fsSL https://github.com/pi-binary/pi/releases/latest/download/install.sh | sh

Options:
  --version <version>  install this release (e.g. 0.2.0) instead of the latest
  --dir <folder>       where the `pi` command goes (default ~/.local/bin)
  -h, --help           show this help and exit

Environment:
  PI_INSTALL_VERSION   same as --version
  PI_INSTALL_DIR       same as --dir
  PI_INSTALL_ROOT      where versions are kept (default ~/.local/share/pi-binary)
  PI_INSTALL_BASE_URL  release root laid out like GitHub's (default https://github.com/pi-binary/pi/releases),
                       for mirrors: <base>/latest/download/<file>, <base>/download/v<version>/<file>

The download is checked against the release's SHA256SUMS, and the new pi must run (`pi --version`) before it
replaces the installed one; on any failure the installed pi is left as it was. Afterwards `pi update` updates it.
EOF
}

say() {
	printf '%s\n' "$*"
}

fail() {
	printf 'pi install: error: %s\n' "$*" >&2
	exit 1
}

detect_os() {
	os_name=${PI_INSTALL_OS:-$(uname -s)}
	case "$os_name" in
	Linux | linux) echo linux ;;
	Darwin | darwin) echo darwin ;;
	MINGW* | MSYS* | CYGWIN* | Windows*)
		fail "unsupported platform: $os_name. On Windows run in PowerShell: irm https://github.com/pi-binary/pi/releases/latest/download/install.ps1 | iex" ;;
	*) fail "unsupported platform: $os_name (pi is built for Linux, macOS and Windows)" ;;
	esac
}

detect_arch() {
	arch_name=${PI_INSTALL_ARCH:-$(uname -m)}
	case "$arch_name" in
	x86_64 | amd64 | x64) arch=x64 ;;
	aarch64 | arm64) arch=arm64 ;;
	*) fail "unsupported platform: CPU architecture $arch_name (pi is built for x86_64 and arm64)" ;;
	esac
	# An x64 shell under Rosetta 2 on Apple silicon: the native arm64 build is faster.
	if [ "$1" = darwin ] && [ "$arch" = x64 ] && [ -z "${PI_INSTALL_ARCH:-}" ]; then
		if [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
			arch=arm64
		fi
	fi
	echo "$arch"
}

is_musl() {
	case "${PI_INSTALL_LIBC:-}" in
	musl) return 0 ;;
	glibc | gnu) return 1 ;;
	esac
	[ -f /etc/alpine-release ] && return 0
	ldd --version 2>&1 | grep -qi musl
}

has_avx2() {
	grep -qw avx2 "${PI_INSTALL_CPUINFO:-/proc/cpuinfo}" 2>/dev/null
}

# Prints the release artifact name for this machine.
artifact_for() {
	os=$1
	arch=$2
	if [ "$os" = darwin ]; then
		echo "pi-darwin-$arch"
		return
	fi
	if is_musl; then
		[ "$arch" = x64 ] || fail "unsupported platform: there is no musl build of pi for $arch"
		echo "pi-linux-x64-musl"
		return
	fi
	if [ "$arch" = x64 ] && ! has_avx2; then
		echo "pi-linux-x64-baseline"
		return
	fi
	echo "pi-linux-$arch"
}

# The musl build links libstdc++ dynamically (Bun's musl runtime does); a bare Alpine lacks it.
check_musl_runtime() {
	for lib_dir in ${PI_INSTALL_LIBDIRS:-/usr/lib /lib /usr/local/lib}; do
		[ -e "$lib_dir/libstdc++.so.6" ] && return 0
	done
	fail "pi's musl build needs libstdc++ and libgcc, which this system lacks. On Alpine: apk add libstdc++ libgcc; then run this script again"
}

pick_downloader() {
	if command -v curl >/dev/null 2>&1; then
		echo curl
	elif command -v wget >/dev/null 2>&1; then
		echo wget
	else
		fail "need curl or wget to download pi; install one of them and run this script again"
	fi
}

pick_sha_tool() {
	if command -v sha256sum >/dev/null 2>&1; then
		echo sha256sum
	elif command -v shasum >/dev/null 2>&1; then
		echo shasum
	elif command -v openssl >/dev/null 2>&1; then
		echo openssl
	else
		fail "need sha256sum, shasum or openssl to verify the download; install one of them and run this script again"
	fi
}

sha256_of() {
	case "$sha_tool" in
	sha256sum) sha256sum "$1" | awk '{print $1}' ;;
	shasum) shasum -a 256 "$1" | awk '{print $1}' ;;
	openssl) openssl dgst -sha256 -r "$1" | awk '{print $1}' ;;
	esac
}

# download URL FILE [progress]: exit status 2 means "not found" (HTTP 404), 1 any other failure.
# sh has no local variables: helpers called directly (not in $(...)) use their own prefixed names.
download() {
	dl_url=$1
	dl_out=$2
	dl_progress=${3:-}
	dl_status=0
	case "$downloader" in
	curl)
		if [ -n "$dl_progress" ] && [ -t 2 ]; then
			curl -fL --progress-bar --retry 2 -o "$dl_out" "$dl_url" || dl_status=$?
		else
			curl -fsSL --retry 2 -o "$dl_out" "$dl_url" || dl_status=$?
		fi
		# 22: HTTP error; curl -f hides the code, but a missing file is the only one a release answers with.
		[ "$dl_status" -eq 22 ] && return 2
		;;
	wget)
		if [ -n "$dl_progress" ] && [ -t 2 ]; then
			wget --progress=bar:force -O "$dl_out" "$dl_url" || dl_status=$?
		else
			wget -q -O "$dl_out" "$dl_url" || dl_status=$?
		fi
		# 8: the server answered with an error.
		[ "$dl_status" -eq 8 ] && return 2
		;;
	esac
	[ "$dl_status" -eq 0 ] || return 1
}

json_string() {
	# Paths with a quote or backslash cannot be written safely without a JSON library; refuse them.
	case "$1" in *\"* | *\\*) fail "unsupported character in path: $1" ;; esac
	printf '"%s"' "$1"
}

# Reads a "key": "value" string field of install.json (written by this script or pi update, one per line).
json_field() {
	[ -f "$2" ] || return 0
	sed -n "s/^ *\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" "$2" | head -n 1
}

work=""
lock=""
cleanup() {
	if [ -n "$work" ]; then rm -rf "$work"; fi
	if [ -n "$lock" ]; then rm -rf "$lock"; fi
}

# One installer or `pi update` at a time (the same lock folder pi update uses); a lock whose owner died is taken over.
take_lock() {
	lock_path="$root/update.lock"
	if mkdir "$lock_path" 2>/dev/null; then
		echo "$$" >"$lock_path/pid"
		lock=$lock_path
		return
	fi
	lock_owner=$(cat "$lock_path/pid" 2>/dev/null || true)
	if [ -n "$lock_owner" ] && kill -0 "$lock_owner" 2>/dev/null; then
		fail "another pi install or update is running (process $lock_owner); wait for it to finish and run this script again"
	fi
	rm -rf "$lock_path"
	mkdir "$lock_path" 2>/dev/null || fail "another pi install or update is running; run this script again later"
	echo "$$" >"$lock_path/pid"
	lock=$lock_path
}

main() {
	version=${PI_INSTALL_VERSION:-}
	bin_dir=${PI_INSTALL_DIR:-}
	while [ $# -gt 0 ]; do
		case "$1" in
		-h | --help)
			usage
			return 0
			;;
		--version)
			[ $# -ge 2 ] || fail "--version needs a value, e.g. --version 0.2.0"
			version=$2
			shift 2
			;;
		--version=*)
			version=${1#--version=}
			shift
			;;
		--dir)
			[ $# -ge 2 ] || fail "--dir needs a folder"
			bin_dir=$2
			shift 2
			;;
		--dir=*)
			bin_dir=${1#--dir=}
			shift
			;;
		*) fail "unknown option: $1 (see: sh install.sh --help)" ;;
		esac
	done
	version=${version#v}

	os=$(detect_os)
	arch=$(detect_arch "$os")
	artifact=$(artifact_for "$os" "$arch")
	archive="$artifact.tar.gz"
	# Every tool is checked before anything is downloaded.
	downloader=$(pick_downloader)
	sha_tool=$(pick_sha_tool)
	command -v tar >/dev/null 2>&1 || fail "need tar to unpack pi; install it and run this script again"
	if [ "$artifact" = pi-linux-x64-musl ]; then check_musl_runtime; fi

	base=${PI_INSTALL_BASE_URL:-https://github.com/pi-binary/pi/releases}
	base=${base%/}
	if [ -n "$version" ]; then
		url="$base/download/v$version"
	else
		url="$base/latest/download"
	fi

	home=${HOME:?HOME is not set}
	bin_dir=${bin_dir:-$home/.local/bin}
	root=${PI_INSTALL_ROOT:-${XDG_DATA_HOME:-$home/.local/share}/pi-binary}
	target="$bin_dir/pi"
	[ -d "$target" ] && fail "$target is a folder; remove it or choose another --dir"
	mkdir -p "$bin_dir" || fail "cannot create $bin_dir"
	mkdir -p "$root/versions" || fail "cannot create $root"

	trap cleanup EXIT
	trap 'exit 1' HUP INT TERM
	take_lock
	# Staging folders left by a killed install or update (with the lock held, nobody else is staging).
	rm -rf "$root/versions"/.staging.* "$root/versions"/.staging-*
	# Staged inside the versions folder so that the final step is a rename on one filesystem.
	work=$(mktemp -d "$root/versions/.staging.XXXXXX") || fail "cannot write to $root"

	say "Downloading $archive from $url"
	status=0
	download "$url/SHA256SUMS" "$work/SHA256SUMS" || status=$?
	if [ "$status" -eq 2 ] && [ -n "$version" ]; then
		fail "pi $version is not a published release (no $url/SHA256SUMS). The releases are listed at ${base}"
	fi
	[ "$status" -eq 0 ] || fail "download failed: $url/SHA256SUMS"
	expected=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1; exit }' "$work/SHA256SUMS")
	[ -n "$expected" ] || fail "SHA256SUMS of this release has no entry for $archive"
	download "$url/$archive" "$work/$archive" progress || fail "download failed: $url/$archive"

	actual=$(sha256_of "$work/$archive")
	if [ "$actual" != "$expected" ]; then
		fail "checksum mismatch for $archive: expected $expected, got $actual. Nothing was installed."
	fi
	mkdir "$work/unpacked"
	tar -xzf "$work/$archive" -C "$work/unpacked" pi 2>/dev/null || fail "$archive does not contain pi. Nothing was installed."
	new_binary="$work/unpacked/pi"
	chmod 755 "$new_binary"

	# The new pi must run here before it replaces anything (a wrong CPU, C library or OS fails right here).
	new_version=$("$new_binary" --version 2>"$work/run-error") || new_version=""
	if [ -z "$new_version" ]; then
		fail "the downloaded pi does not run on this machine ($(head -c 300 "$work/run-error" | tr '\n' ' ')). Nothing was changed."
	fi
	case "$new_version" in
	*[!0-9A-Za-z.+-]*) fail "the downloaded pi printed an unexpected version: $new_version. Nothing was changed." ;;
	esac
	if [ -n "$version" ] && [ "$new_version" != "$version" ]; then
		fail "asked for pi $version, but the downloaded binary is $new_version. Nothing was changed."
	fi

	previous=""
	if [ -x "$target" ]; then
		previous=$("$target" --version 2>/dev/null || true)
	fi
	# A plain binary from an older installer: keep it as a version so that `pi update --rollback` can return to it.
	if [ -f "$target" ] && [ ! -L "$target" ] && [ -n "$previous" ] && [ "$previous" != "$new_version" ] &&
		[ ! -e "$root/versions/$previous" ]; then
		if mkdir -p "$root/versions/$previous"; then cp -p "$target" "$root/versions/$previous/pi" || true; fi
	fi

	version_dir="$root/versions/$new_version"
	if [ -e "$version_dir" ]; then
		# Reinstalling the same version: move the old folder aside rather than writing into files that may be running.
		mv "$version_dir" "$work/replaced" || fail "cannot replace $version_dir"
	fi
	mkdir "$version_dir" || fail "cannot write $version_dir"
	mv "$new_binary" "$version_dir/pi" || fail "cannot write $version_dir"

	link="$bin_dir/.pi-link.$$"
	rm -f "$link"
	ln -s "$version_dir/pi" "$link" || fail "cannot create a link in $bin_dir"
	mv -f "$link" "$target" || {
		rm -f "$link"
		fail "cannot install to $target"
	}

	previous_version=""
	if [ -n "$previous" ] && [ "$previous" != "$new_version" ] && [ -e "$root/versions/$previous" ]; then
		previous_version=$previous
	else
		previous_version=$(json_field previous "$root/install.json")
	fi
	{
		printf '{\n'
		printf '  "kind": "pi-binary-install",\n'
		printf '  "schemaVersion": 1,\n'
		printf '  "installedBy": "install.sh",\n'
		printf '  "artifact": "%s",\n' "$artifact"
		printf '  "binDir": %s,\n' "$(json_string "$bin_dir")"
		printf '  "current": "%s",\n' "$new_version"
		printf '  "previous": "%s"\n' "$previous_version"
		printf '}\n'
	} >"$work/install.json"
	mv -f "$work/install.json" "$root/install.json"

	# Keep the installed and the previous version; older ones go (a running one keeps its open file).
	for old_dir in "$root/versions"/*; do
		[ -d "$old_dir" ] || continue
		old_name=${old_dir##*/}
		if [ "$old_name" != "$new_version" ] && [ "$old_name" != "$previous_version" ]; then
			rm -rf "$old_dir"
		fi
	done

	if [ -n "$previous" ] && [ "$previous" != "$new_version" ]; then
		say "Upgraded pi $previous -> $new_version at $target"
	else
		say "Installed pi $new_version at $target"
	fi

	case ":${PATH:-}:" in
	*":$bin_dir:"*) ;;
	*)
		say ""
		say "$bin_dir is not on your PATH. Add it, e.g. in ~/.bashrc, ~/.zshrc or ~/.profile:"
		say "  export PATH=\"$bin_dir:\$PATH\""
		;;
	esac
}

main "$@"
