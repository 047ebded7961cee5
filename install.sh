#!/bin/sh
# Installs (or upgrades) the pi binary:   curl -fsSL <release>/install.sh | sh
#
#   PI_INSTALL_DIR        where to put `pi` (default ~/.local/bin)
#   PI_INSTALL_VERSION    e.g. 0.2.0 (default: the latest release)
#   PI_INSTALL_BASE_URL   release root laid out like GitHub's (default https://github.com/pi-binary/pi/releases):
#                         <base>/latest/download/<file>, or <base>/download/v<version>/<file> with PI_INSTALL_VERSION
#
# Detection can be overridden (for tests, or when it guesses wrong): PI_INSTALL_OS (uname -s value),
# PI_INSTALL_ARCH (uname -m value), PI_INSTALL_LIBC (glibc|musl), PI_INSTALL_CPUINFO (file read instead of
# /proc/cpuinfo to look for AVX2).
#
# Everything happens inside main(), called on the last line, so a truncated download of this script runs nothing.

set -eu

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
		fail "unsupported platform: $os_name. On Windows download pi-windows-x64.exe from the release page instead." ;;
	*) fail "unsupported platform: $os_name (pi is built for Linux and macOS)" ;;
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

pick_downloader() {
	if command -v curl >/dev/null 2>&1; then
		echo curl
	elif command -v wget >/dev/null 2>&1; then
		echo wget
	else
		fail "need curl or wget to download pi; install one of them and run this script again"
	fi
}

# sh has no local variables: helpers called directly (not in $(...)) use their own prefixed names.
download() {
	dl_url=$1
	dl_out=$2
	case "$downloader" in
	curl) curl -fsSL --retry 2 -o "$dl_out" "$dl_url" ;;
	wget) wget -q -O "$dl_out" "$dl_url" ;;
	esac || fail "download failed: $dl_url"
}

sha256_of() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | awk '{print $1}'
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256 "$1" | awk '{print $1}'
	else
		fail "need sha256sum or shasum to verify the download"
	fi
}

tmp_binary=""
tmp_sums=""
cleanup() {
	if [ -n "$tmp_binary" ]; then rm -f "$tmp_binary"; fi
	if [ -n "$tmp_sums" ]; then rm -f "$tmp_sums"; fi
}

main() {
	os=$(detect_os)
	arch=$(detect_arch "$os")
	artifact=$(artifact_for "$os" "$arch")
	downloader=$(pick_downloader)

	base=${PI_INSTALL_BASE_URL:-https://github.com/pi-binary/pi/releases}
	base=${base%/}
	version=${PI_INSTALL_VERSION:-}
	version=${version#v}
	if [ -n "$version" ]; then
		url="$base/download/v$version"
	else
		url="$base/latest/download"
	fi

	dir=${PI_INSTALL_DIR:-${HOME:?HOME is not set}/.local/bin}
	mkdir -p "$dir" || fail "cannot create $dir"
	target="$dir/pi"

	# The binary is downloaded next to its final place so the last step is an atomic rename on one filesystem.
	trap cleanup EXIT
	trap 'exit 1' HUP INT TERM
	tmp_binary=$(mktemp "$dir/.pi-install.XXXXXX") || fail "cannot write to $dir"
	tmp_sums=$(mktemp "${TMPDIR:-/tmp}/pi-sha256sums.XXXXXX") || fail "cannot create a temporary file"

	say "Downloading $artifact from $url"
	download "$url/SHA256SUMS" "$tmp_sums"
	download "$url/$artifact" "$tmp_binary"

	expected=$(awk -v f="$artifact" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp_sums")
	[ -n "$expected" ] || fail "SHA256SUMS has no entry for $artifact"
	actual=$(sha256_of "$tmp_binary")
	if [ "$actual" != "$expected" ]; then
		fail "checksum mismatch for $artifact: expected $expected, got $actual. Nothing was installed."
	fi

	previous=""
	if [ -x "$target" ]; then
		previous=$("$target" --version 2>/dev/null || true)
	fi
	chmod 755 "$tmp_binary"
	mv -f "$tmp_binary" "$target" || fail "cannot install to $target"
	tmp_binary=""

	installed=$("$target" --version 2>/dev/null || true)
	installed=${installed:-${version:-unknown version}}
	if [ -n "$previous" ] && [ "$previous" != "$installed" ]; then
		say "Upgraded pi $previous -> $installed at $target"
	else
		say "Installed pi $installed at $target"
	fi

	case ":${PATH:-}:" in
	*":$dir:"*) ;;
	*)
		say ""
		say "$dir is not on your PATH. Add it, e.g. in ~/.bashrc, ~/.zshrc or ~/.profile:"
		say "  export PATH=\"$dir:\$PATH\""
		;;
	esac
}

main "$@"
