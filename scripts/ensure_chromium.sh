#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (never a browser download). Install it when missing
# and we are allowed to (root); otherwise say so and let the browser tests skip.
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium and CJK fonts from Debian's packages for the browser tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
    || echo "warning: could not install chromium; browser tests will be skipped"
else
  echo "warning: /usr/bin/chromium is missing (install Debian's chromium); browser tests will be skipped"
fi
exit 0
