#!/usr/bin/env bash
# make book: docs/ rendered into an HTML book in OUT (default build/book).
#   index.html            the contents: every chapter and lab, with their sections
#   NN-name.html          a chapter (docs/NN-name.md), labs/NAME.html a lab
#   code/PATH.html        each file of the tree a page names, highlighted,
#                         lines numbered (#L-12)
#   pictures/, book.css   copied from docs/ (all but its pages) and scripts/book/
# The chapters come in their numbered order, then the labs' guide
# (docs/labs/README.md), then the labs in the order they are taught
# (scripts/lab-handout.sh names). Each page is pandoc's gfm reader through
# scripts/book/links.lua (the links to the code) into page.html.
#
# usage: scripts/book/build.sh [OUT]
set -eu
cd "$(dirname "$0")/../.."

book=scripts/book
out=${1:-build/book}
work=$out/.work         # what the filter hands from the pages to the contents and code/
# Made anew each time; a folder that is not a book is not removed.
if [ -e "$out" ] && [ ! -f "$out/index.html" ] && [ -n "$(ls -A "$out")" ]; then
	echo "book: $out is not a book made before; not removing it" >&2
	exit 1
fi
rm -rf "$out"
mkdir -p "$work"

pages=(docs/[0-9][0-9]-*.md docs/labs/README.md)
for lab in $(scripts/lab-handout.sh names); do
	pages+=("docs/labs/$lab.md")
done
for f in docs/labs/*.md; do     # a page no lab lists yet still goes in, last
	[[ " ${pages[*]} " == *" $f "* ]] || pages+=("$f")
done

{
	find src include scripts tests -type f -print0 | xargs -0 grep -lI ''     # a binary file gets no page
	find docs -type f
	ls Makefile grub.cfg README.md LICENSE
} > "$work/files"
$book/definitions.sh > "$work/definitions"

page_of() { local p=${1#docs/}; echo "${p%.md}"; }      # docs/labs/pmm.md -> labs/pmm
title_of() { sed -n '1s/^# //p' "$1" | tr -d '`'; }
root_of() { local p=${1#docs/}; p=${p//[!\/]/}; echo "${p//\//../}"; }

render() {      # render N: pages[N], with the previous and next page
	local i=$1 src=${pages[$1]} name root
	name=$(page_of "$src")
	root=$(root_of "$src")
	local around=()
	if [ "$i" -gt 0 ]; then
		around+=(-V "prev-url=$root$(page_of "${pages[i - 1]}").html" -M "prev-title=$(title_of "${pages[i - 1]}")")
	fi
	if [ "$i" -lt $((${#pages[@]} - 1)) ]; then
		around+=(-V "next-url=$root$(page_of "${pages[i + 1]}").html" -M "next-title=$(title_of "${pages[i + 1]}")")
	fi
	mkdir -p "$(dirname "$out/$name")" "$(dirname "$work/$name")"
	pandoc -f gfm --standalone --template $book/page.html --toc --toc-depth=2 \
		--lua-filter $book/links.lua \
		-M "book-page=${src#docs/}" -M "book-files=$work/files" -M "book-defs=$work/definitions" \
		-M "book-record=$work/$name.named" -M "book-contents=$work/$name.contents" \
		-M "pagetitle=$(title_of "$src")" -V "root=$root" "${around[@]}" \
		"$src" -o "$out/$name.html"
}

# Two pages at a time: pandoc is single-threaded, and most machines
# that build this have two cores or more.
for i in "${!pages[@]}"; do
	[ "$(jobs -rp | wc -l)" -ge 2 ] && wait -n
	render "$i" &
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n; done
for src in "${pages[@]}"; do    # a page that failed left no contents entry
	[ -f "$work/$(page_of "$src").contents" ] || { echo "book: $src did not render" >&2; exit 1; }
done

# The contents: one entry per page, with its sections.
{
	echo "# Cairn: the book"
	echo
	echo "An i386 teaching kernel, read chapter by chapter; then the labs."
	echo "Every file and function a page names links to its source in this book."
	echo
	echo "## Chapters"
	echo
	for src in "${pages[@]}"; do
		[ "$src" = docs/labs/README.md ] && printf '\n## Labs\n\n'
		cat "$work/$(page_of "$src").contents"
	done
} > "$work/index.md"
pandoc -f gfm --standalone --template $book/page.html -M "pagetitle=Contents" -V root= \
	-V "next-url=$(page_of "${pages[0]}").html" -M "next-title=$(title_of "${pages[0]}")" \
	"$work/index.md" -o "$out/index.html"

# The code each page names, with the pages that name it.
for src in "${pages[@]}"; do
	name=$(page_of "$src")
	while read -r path; do
		[ -n "$path" ] && printf '%s\t%s.html\t%s\n' "$path" "$name" "$(title_of "$src")"
	done < "$work/$name.named"
done | sort -s -t "$(printf '\t')" -k1,1 > "$work/named"
cut -f1 "$work/named" | sed 's|^|'"$out"'/code/|; s|/[^/]*$||' | sort -u | xargs mkdir -p
pandoc -f markdown -t html --lua-filter $book/sources.lua \
	-M "book-out=$out" -M "book-named=$work/named" < /dev/null > /dev/null

# docs/'s other files (the pictures) go where the pages' links expect them.
cp $book/book.css "$out/"
(cd docs && find . -type f ! -name '*.md' -exec cp --parents {} "$OLDPWD/$out/" \;)
echo "book: $out/index.html, ${#pages[@]} pages, $(cut -f1 "$work/named" | sort -u | wc -l) files of code"
