# Sourced by the render scripts: sets $browser to Debian's Chromium, installing
# it with apt-get when run as root and missing; otherwise says what to run.
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
    command="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium"
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: chromium is missing. Install it as root with:" >&2
        echo "  sudo sh -c '$command'" >&2
        exit 1
    fi
    echo "Installing chromium..." >&2
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
    browser="$(command -v chromium)"
fi
