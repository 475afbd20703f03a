#!/bin/sh
# What a push to main asks of render.yml, from the files the push changed. Prints `plan=...` (for
# $GITHUB_OUTPUT) on stdout and the reason on stderr:
#   sync    README.md, CONTRIBUTING.md or lists/*.md changed and catalog/ did not: a hand edit to take in
#   render  catalog/ changed and the pages did not (or neither did): the catalog is the truth, render it
#   check   both changed: README.md must already be what the catalog renders; nothing is guessed
# Usage: render-plan.sh BEFORE AFTER. When BEFORE is all zeros (a first push) or not in the clone (a
# force push), what the push changed is not known, and the plan is check: nothing is guessed.
set -eu
before=${1:-}
after=${2:-HEAD}
if [ -z "$before" ] || [ "$before" = 0000000000000000000000000000000000000000 ] ||
    ! git cat-file -e "$before^{commit}" 2>/dev/null; then
  echo "no earlier commit to compare with (a first or a forced push): README.md must already be the render: check" >&2
  echo "plan=check"
  exit 0
fi
files=$(git diff --name-only "$before" "$after")
catalog=no
pages=no
while IFS= read -r file; do
  case "$file" in
    catalog/*) catalog=yes ;;
    README.md | CONTRIBUTING.md | lists/*.md) pages=yes ;;
  esac
done <<FILES
$files
FILES
case "$catalog-$pages" in
  yes-yes) plan=check reason="catalog/ and the rendered pages both changed" ;;
  no-yes) plan=sync reason="the rendered pages changed and catalog/ did not: a hand edit" ;;
  yes-no) plan=render reason="catalog/ changed" ;;
  *) plan=render reason="neither catalog/ nor the rendered pages changed" ;;
esac
echo "$reason: $plan" >&2
echo "plan=$plan"
