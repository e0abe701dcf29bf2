# tests/scripts/lib/browser.sh — sourced: a report page in headless Chromium
#   browser          the Chromium command in $chrome, or "" (not installed)
#   headless PROFILE ARGS...   run it headless with the user data folder
#                    PROFILE, quiet and offline, with ARGS (--dump-dom
#                    URL, --screenshot=FILE URL …)
browser() {
	chrome=$(command -v chromium || command -v chromium-browser || true)
}

headless() {
	local profile=$1
	shift
	"$chrome" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$profile" "$@"
}
