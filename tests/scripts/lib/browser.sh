# tests/scripts/lib/browser.sh — sourced: a report page in headless Chromium
#   browser          the Chromium command in $chrome; not installed, the
#                    test fails at once (need, lib/check.sh)
#   headless PROFILE ARGS...   run it headless with the user data folder
#                    PROFILE, quiet and offline, with ARGS (--dump-dom
#                    URL, --screenshot=FILE URL …)
browser() {
	need chromium
	chrome=$(command -v chromium)
}

headless() {
	local profile=$1
	shift
	"$chrome" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$profile" "$@"
}
