#!/usr/bin/env bash
# The GitHub Action's logic (action.yml at the repository root calls it):
#   action.sh resolve   pick what to install: a release (the version input,
#                       else the action's own vX.Y.Z tag, else for a vN or
#                       vN.M tag the latest release when it is in that line)
#                       and the runner's archive; or, when the action is
#                       pinned to anything else (a commit SHA, a branch, a
#                       local checkout), corsdiag built from the action's own
#                       source: a pin must pin what runs
#   action.sh install   download that archive, verify it against the
#                       release's checksums file, unpack it into the cache
#                       folder; or build the source into it (nothing to do
#                       when the cache already holds it)
#   action.sh run       run corsdiag with the action's inputs; decide from
#                       fail-on whether the step fails
# Inputs come as environment variables (never spliced into the script), and
# results go to $GITHUB_OUTPUT and $GITHUB_PATH like any step's.
set -euo pipefail

releases=${CORSDIAG_RELEASES:-https://github.com/corsdiag/corsdiag/releases}

die() {
  echo "::error title=corsdiag action::$*" >&2
  exit 1
}

output() { printf '%s=%s\n' "$1" "$2" >>"${GITHUB_OUTPUT:-/dev/null}"; }

# platform prints the archive's os, arch and extension for this runner, as
# .goreleaser.yaml names them (builds: linux, darwin, windows × amd64, arm64;
# zip on windows).
platform() {
  local os arch ext=tar.gz
  case "${RUNNER_OS:-}" in
    Linux) os=linux ;;
    macOS) os=darwin ;;
    Windows) os=windows ext=zip ;;
    *) die "no corsdiag release for RUNNER_OS='${RUNNER_OS:-}': releases are built for Linux, macOS and Windows" ;;
  esac
  case "${RUNNER_ARCH:-}" in
    X64) arch=amd64 ;;
    ARM64) arch=arm64 ;;
    *) die "no corsdiag release for RUNNER_ARCH='${RUNNER_ARCH:-}' on $RUNNER_OS: releases are built for X64 and ARM64" ;;
  esac
  echo "$os $arch $ext"
}

# version prints the release to install, without its v (as in archive
# names), or nothing when the action must be built from its own source.
version() {
  local v=${CORSDIAG_VERSION:-} ref=${CORSDIAG_ACTION_REF:-} line=""
  if [ -z "$v" ]; then
    if [[ $ref =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
      v=$ref
    elif [[ $ref =~ ^v[0-9]+(\.[0-9]+)?$ ]]; then
      # A moving tag (v1, v1.4) stands for the newest release of its line.
      v=latest line=${ref#v}.
    else
      # A commit SHA, a branch, or a local checkout (no ref): no release is
      # known to hold this code.
      return 0
    fi
  fi
  if [ "$v" = latest ]; then
    # The latest release's page redirects to its tag: no API call, no token.
    local url
    url=$(curl -fsSLI --retry 3 -o /dev/null -w '%{url_effective}' "$releases/latest") ||
      die "cannot find the latest corsdiag release at $releases/latest; set the version input"
    v=${url##*/}
    if [ -n "$line" ] && [[ ${v#v} != "$line"* ]]; then
      echo "the latest release ($v) is not in the $ref line: building the action's own source" >&2
      return 0
    fi
  fi
  v=${v#v}
  [[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] ||
    die "version '$v' is not a release version such as 1.4.2 (or latest)"
  echo "$v"
}

# source_key prints a digest of the action's own source: the cache key of
# a corsdiag built from it (a branch moves, the digest of what is built
# does not).
source_key() {
  local root=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH, the folder of the action, is not set}
  (
    cd "$root" || exit 1
    # Each file's name, then its bytes: a file moved is another source.
    find go.mod go.sum cmd pkg -type f -print0 | LC_ALL=C sort -z |
      while IFS= read -r -d '' f; do printf '%s\0' "$f" && cat "$f"; done
  ) | sha256 - | cut -c1-16
}

resolve() {
  local v p os arch ext mode=release
  v=$(version)
  p=$(platform)
  read -r os arch ext <<<"$p"
  if [ -z "$v" ]; then
    mode=source
    v=source-$(source_key) || die "cannot read the action's source in $GITHUB_ACTION_PATH"
  fi
  local dir="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}}/corsdiag/$v/$arch"
  output mode "$mode"
  output version "$v"
  output archive "corsdiag_${v}_${os}_${arch}.$ext"
  output dir "$dir"
  if [ $mode = source ]; then
    echo "corsdiag built from the action's source (${CORSDIAG_ACTION_REF:-a local checkout}) for $os/$arch in $dir"
  else
    echo "corsdiag $v for $os/$arch in $dir"
  fi
}

# build compiles the action's own source into dir/exe, with the Go on PATH
# (GOTOOLCHAIN=auto fetches the version go.mod asks for, leaving the job's
# Go as it was).
build() {
  local dir=$1 exe=$2 ref=${CORSDIAG_ACTION_REF:-}
  command -v go >/dev/null ||
    die "the action is pinned to '${ref:-a local checkout}', not to a release tag, so it builds corsdiag from its own source, which needs Go 1.21 or later on PATH: add actions/setup-go before it, or pin a release (corsdiag/corsdiag@vX.Y.Z, or the version input)"
  local stamp=dev
  [[ ! $ref =~ ^[0-9A-Za-z._/-]+$ ]] || stamp="dev-${ref//\//-}"
  mkdir -p "$dir"
  (
    cd "${GITHUB_ACTION_PATH:?}" &&
      GOTOOLCHAIN=auto GOFLAGS=-mod=readonly GOWORK=off CGO_ENABLED=0 \
        go build -trimpath -ldflags "-s -w -X github.com/corsdiag/corsdiag/pkg/cli.Version=$stamp" \
        -o "$dir/$exe.partial" ./cmd/corsdiag
  ) || die "building corsdiag from the action's source failed (the go output above says why)"
  mv -f "$dir/$exe.partial" "$dir/$exe"
  echo "corsdiag $stamp: built from the action's source into $dir"
}

# sha256 FILE prints the file's SHA-256 (- for standard input).
sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1
}

install() {
  local v=${CORSDIAG_VERSION:?} archive=${CORSDIAG_ARCHIVE:?} dir=${CORSDIAG_DIR:?}
  local exe=corsdiag
  case $archive in *.zip) exe=corsdiag.exe ;; esac
  if [ -x "$dir/$exe" ]; then
    echo "corsdiag $v: cached in $dir"
  elif [ "${CORSDIAG_MODE:-release}" = source ]; then
    build "$dir" "$exe"
  else
    tmp=$(mktemp -d) # global: the EXIT trap runs after this function returns
    trap 'rm -rf "$tmp"' EXIT
    local base="$releases/download/v$v"
    curl -fsSL --retry 3 -o "$tmp/$archive" "$base/$archive" ||
      die "cannot download $base/$archive (is $v a corsdiag release?)"
    curl -fsSL --retry 3 -o "$tmp/checksums.txt" "$base/corsdiag_${v}_checksums.txt" ||
      die "cannot download $base/corsdiag_${v}_checksums.txt"
    local want got
    want=$(awk -v n="$archive" '$2 == n { print $1 }' "$tmp/checksums.txt")
    [ -n "$want" ] || die "corsdiag_${v}_checksums.txt has no line for $archive"
    got=$(sha256 "$tmp/$archive")
    [ "$got" = "$want" ] ||
      die "checksum mismatch for $archive: the release's checksums file says $want, the download is $got; not installing it"
    mkdir -p "$tmp/x"
    case $archive in
      *.zip) unzip -q -o "$tmp/$archive" "$exe" -d "$tmp/x" ;;
      *) tar -xzf "$tmp/$archive" -C "$tmp/x" "$exe" ;;
    esac || die "$archive has no $exe"
    mkdir -p "$dir"
    mv -f "$tmp/x/$exe" "$dir/$exe"
    echo "corsdiag $v: installed into $dir (sha256 $got)"
  fi
  echo "$dir" >>"${GITHUB_PATH:-/dev/null}"
}

# report_file is the default file of a --report format named alone.
report_file() {
  case $1 in
    junit) echo corsdiag.xml ;;
    sarif) echo corsdiag.sarif ;;
    json) echo corsdiag.json ;;
    markdown) echo corsdiag.md ;;
    html) echo corsdiag.html ;;
    *) die "report '$1': want junit, sarif, json, markdown or html, optionally =FILE" ;;
  esac
}

run() {
  set -f # report items are words, not globs
  local fail_on=${INPUT_FAIL_ON:-error} sarif=${INPUT_SARIF:-} report=${INPUT_REPORT:-}
  case $fail_on in error | warning | never) ;; *) die "fail-on '$fail_on': want error, warning or never" ;; esac
  local -a argv=()
  if [ -n "${INPUT_ARGS:-}" ]; then
    # xargs splits like a shell (quotes kept together) without running
    # anything. On an unclosed quote it still prints the words before it:
    # its status, not its output, says whether args were read whole.
    local words err split=true why
    words=$(mktemp) err=$(mktemp)
    printf '%s' "$INPUT_ARGS" | xargs printf '%s\0' >"$words" 2>"$err" || split=false
    why=$(sed -e 's/^xargs: //' -e 's/;.*//' "$err" | head -1)
    while IFS= read -r -d '' a; do argv+=("$a"); done <"$words"
    rm -f "$words" "$err"
    $split || die "args: ${why:-cannot split it}: quotes group words, and each must be closed"
  else
    argv=(ci)
    [ -z "${INPUT_CONFIG:-}" ] || argv+=(-f "$INPUT_CONFIG")
    local item format file
    for item in ${report//,/ }; do
      format=${item%%=*} file=${item#*=}
      [ "$item" != "$format" ] || file=$(report_file "$format")
      [ -n "$file" ] || die "report '$item': the file is empty"
      report_file "$format" >/dev/null
      if [ "$format" = sarif ]; then sarif=$file; else argv+=(--report "$format=$file"); fi
    done
    if [ -z "$sarif" ] && [ "${INPUT_UPLOAD_SARIF:-false}" = true ]; then
      sarif="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/corsdiag.sarif"
    fi
    [ -z "$sarif" ] || argv+=(--report "sarif=$sarif")
  fi
  # warning: --strict, for the commands that have it
  if [ "$fail_on" = warning ]; then
    case ${argv[0]:-} in ci | check | har | lint) argv+=(--strict) ;; esac
  fi

  local before=0 code=0
  [ -z "${GITHUB_OUTPUT:-}" ] || before=$(wc -c <"$GITHUB_OUTPUT" 2>/dev/null || echo 0)
  echo "corsdiag ${argv[*]}"
  corsdiag "${argv[@]}" || code=$?
  # corsdiag ci sets failures itself; for other commands a block is one.
  if [ -n "${GITHUB_OUTPUT:-}" ] && ! tail -c "+$((before + 1))" "$GITHUB_OUTPUT" 2>/dev/null | grep -q '^failures='; then
    output failures "$([ "$code" = 1 ] && echo 1 || echo 0)"
  fi
  output exit-code "$code"
  if [ -n "$sarif" ] && [ -f "$sarif" ]; then output sarif "$sarif"; else output sarif ""; fi

  # never: CORS results never fail the step, a broken run (2: bad config or
  # flag; 130: interrupted) still does.
  local fail=false
  case $fail_on:$code in
    *:0 | never:1 | never:3) ;;
    *) fail=true ;;
  esac
  output fail "$fail"
  echo "corsdiag exited $code; fail-on $fail_on: the step $([ $fail = true ] && echo fails || echo passes)"
}

case "${1:-}" in
  resolve) resolve ;;
  install) install ;;
  run) run ;;
  *)
    echo "usage: $0 resolve|install|run (inputs in the environment; see action.yml)" >&2
    exit 2
    ;;
esac
