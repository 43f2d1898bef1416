#!/usr/bin/env bash
# The book in make test (and make check-book): builds it into BOOK
# (default build/book) and opens every page in headless Chromium
# (scripts/book/check.js). Prints TAP, one case per page.
# Needs scripts/need-tools.sh book-check (pandoc, Chromium) and puppeteer-core
# in build/book-check/ (make check-book installs it).
set -u
cd "$(dirname "$0")/../.."
book=${1:-build/book}

if ! scripts/book/build.sh "$book"; then
	echo "not ok 1 - make book failed"
	exit 1
fi
NODE_PATH=build/book-check/node_modules exec node scripts/book/check.js "$book"
