#!/bin/bash
# The three places that list the options agree: --help, the man page's
# OPTIONS entries and the bash completion. The man page is clean for
# groff -ww, has the sections a user looks for, and says what to do about
# every finding kind the code can report. Needs no privilege.
#   tests/docs.sh [HELP-FILE MAN-FILE COMPLETION-FILE]: compare those instead
#   (the self-test below feeds it doctored copies).
set -u
cd "$(dirname "$0")/.." || exit 2
B=${ARPSWEEP_BUILD:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Options named in --help: every -x or --word after a blank, comma, bracket,
# semicolon or parenthesis.
help_opts() {
	grep -oE '(^|[][ ,;(])--?[A-Za-z][A-Za-z-]*' "$1" |
	    sed -E 's/^[][ ,;(]//' | sort -u
}

# Options the man page gives an entry: the line after each .TP in OPTIONS.
man_opts() {
	awk '/^\.SH /{ in_opts = ($2 == "OPTIONS") } in_opts && tp { print; tp = 0 }
	    in_opts && /^\.TP/ { tp = 1 }' "$1" |
	    sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/"/ /g' |
	    grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z-]*' | sed -E 's/^[ ,]//' |
	    grep -vE '^-(B|BI|BR|TP)$' | sort -u
}

# The completion's opts="..." list.
comp_opts() {
	sed -n '/local opts="/,/"$/p' "$1" | sed -e 's/.*opts="//' -e 's/"//' |
	    tr -s ' \t' '\n\n' | grep -E '^-' | sort -u
}

# NAME HELP MAN COMP: one ok/FAIL line; status 1 when they differ.
compare() {
	local name=$1
	help_opts "$2" >"$tmp/h"
	man_opts "$3" >"$tmp/m"
	comp_opts "$4" >"$tmp/c"
	if [ ! -s "$tmp/h" ] || [ ! -s "$tmp/m" ] || [ ! -s "$tmp/c" ]; then
		echo "FAIL docs.$name: an option list parsed empty ($(wc -l <"$tmp/h") help," \
		    "$(wc -l <"$tmp/m") man, $(wc -l <"$tmp/c") completion)"
		return 1
	fi
	if cmp -s "$tmp/h" "$tmp/m" && cmp -s "$tmp/h" "$tmp/c"; then
		echo "ok docs.$name"
		return 0
	fi
	echo "FAIL docs.$name: --help, the man page and the completion list different options:"
	{ echo "  --help vs man page:"; diff "$tmp/h" "$tmp/m"
	  echo "  --help vs completion:"; diff "$tmp/h" "$tmp/c"; } | sed 's/^/    /'
	return 1
}

"$B/arpsweep" --help >"$tmp/help" 2>&1
compare same-options "$tmp/help" doc/arpsweep.8 doc/arpsweep.bash-completion

# The comparison must notice one option missing from any of the three.
sed '/--probe/d' "$tmp/help" >"$tmp/help-1"
awk '/^\.BI? \\-\\-probe/ { next } { print }' doc/arpsweep.8 >"$tmp/man-1"
sed 's/ --probe / /' doc/arpsweep.bash-completion >"$tmp/comp-1"
for which in help man comp; do
	h=$tmp/help m=doc/arpsweep.8 c=doc/arpsweep.bash-completion
	case $which in
	help) h=$tmp/help-1 ;; man) m=$tmp/man-1 ;; comp) c=$tmp/comp-1 ;;
	esac
	if compare "self-$which" "$h" "$m" "$c" >"$tmp/self"; then
		echo "FAIL docs.detects-missing-in-$which: --probe removed from the $which, yet they agree"
	else
		echo "ok docs.detects-missing-in-$which"
	fi
done

# The --format values: the parser's, the man page's, the completion's and
# --help's are the same.
fmt_code=$(sed -n 's/.*strcmp(s, "\([a-z-]*\)") == 0.*/\1/p' report/output.c | sort | tr '\n' ' ')
fmt_man=$(sed -n 's/^\.BI \\-\\-format " \(.*\)"$/\1/p' doc/arpsweep.8 | sed 's/\\-/-/g' | tr '|' '\n' | sort | tr '\n' ' ')
fmt_comp=$(sed -n '/--format)/,/;;/p' doc/arpsweep.bash-completion | sed -n "s/.*compgen -W '\([^']*\)'.*/\1/p" |
    tr ' ' '\n' | sort | tr '\n' ' ')
fmt_help=$(awk '/^      --format /{ on = 1; print; next } on && /^      --/{ exit } on' "$tmp/help" |
    grep -oE '[a-z]+(-[a-z]+)*' | sort -u | tr '\n' ' ')
missing=
for f in $fmt_code; do
	case " $fmt_help " in *" $f "*) ;; *) missing="$missing $f" ;; esac
done
if [ -n "$fmt_code" ] && [ "$fmt_code" = "$fmt_man" ] && [ "$fmt_code" = "$fmt_comp" ] && [ -z "$missing" ]; then
	echo "ok docs.same-formats"
else
	echo "FAIL docs.same-formats: parser '$fmt_code', man '$fmt_man', completion '$fmt_comp', missing in --help:${missing:- none}"
fi

# groff: no warning of any kind.
if command -v groff >/dev/null; then
	if groff -man -ww -z doc/arpsweep.8 >"$tmp/groff" 2>&1 && [ ! -s "$tmp/groff" ]; then
		echo "ok docs.man-groff-clean"
	else
		echo "FAIL docs.man-groff-clean:"; sed 's/^/    /' "$tmp/groff"
	fi
else
	echo "SKIP docs.man-groff-clean: groff is not installed (tests/deps.sh test installs it)"
fi

for sec in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" FILES ENVIRONMENT EXAMPLES; do
	grep -q "^\.SH \"*$sec\"*\$" doc/arpsweep.8 && echo "ok docs.man-section-${sec// /-}" ||
	    echo "FAIL docs.man-section-${sec// /-}: doc/arpsweep.8 has no .SH $sec"
done
# The --color values likewise (output_parse_color).
col_code=$(sed -n 's/.*strcmp(when, "\([a-z]*\)") == 0.*/\1/p' report/output.c | sort | tr '\n' ' ')
col_man=$(sed -n 's/^\.BI \\-\\-color " \(.*\)"$/\1/p' doc/arpsweep.8 | tr '|' '\n' | sort | tr '\n' ' ')
col_comp=$(sed -n '/--color)/,/;;/p' doc/arpsweep.bash-completion | sed -n "s/.*compgen -W '\([^']*\)'.*/\1/p" |
    tr ' ' '\n' | sort | tr '\n' ' ')
col_help=$(awk '/^      --color /{ on = 1; print; next } on && /^      --/{ exit } on' "$tmp/help" |
    grep -oE 'auto|always|never' | sort -u | tr '\n' ' ')
if [ -n "$col_code" ] && [ "$col_code" = "$col_man" ] && [ "$col_code" = "$col_comp" ] && [ "$col_code" = "$col_help" ]; then
	echo "ok docs.same-colors"
else
	echo "FAIL docs.same-colors: parser '$col_code', man '$col_man', completion '$col_comp', --help '$col_help'"
fi

for v in SUDO_UID SUDO_GID NO_COLOR COLUMNS TERM; do
	awk '/^\.SH ENVIRONMENT/,/^\.SH EXIT/' doc/arpsweep.8 | grep -q "$v" &&
	    echo "ok docs.man-env-$v" || echo "FAIL docs.man-env-$v: not in ENVIRONMENT"
done
for f in ieee-data libvirt; do
	awk '/^\.SH FILES/,/^\.SH ENVIRONMENT/' doc/arpsweep.8 | sed 's/\\-/-/g' | grep -q "$f" &&
	    echo "ok docs.man-files-$f" || echo "FAIL docs.man-files-$f: not in FILES"
done

# Every finding kind the code names has an entry in the man page whose
# paragraph says what to do.
kinds=$(sed -n 's/^[[:space:]]*\[FIND_[A-Z_]*\] = { "\([a-z-]*\)",.*/\1/p' report/findings.c)
[ -n "$kinds" ] || echo "FAIL docs.finding-kinds: no kind names parsed from report/findings.c"
for k in $kinds; do
	if sed 's/\\-/-/g' doc/arpsweep.8 | awk -v k="$k" '
	    prev ~ /^\.TP/ && $0 == ".B " k { on = 1; prev = $0; next }
	    on && /^\.(TP|SH|PP)/ { exit }
	    on && /What to do:/ { found = 1; exit }
	    { prev = $0 } END { exit !found }'; then
		echo "ok docs.finding-$k"
	else
		echo "FAIL docs.finding-$k: no man page entry for $k saying 'What to do:'"
	fi
done
# Every permission message, the man page, the README and make install name
# one capability set.
sets=$(grep -rhoE 'setcap[ "]+cap_[a-z_,]+\+[a-z]+' scanner capture report doc README.md Makefile \
    tests/unit 2>/dev/null | sed -E 's/setcap[ "]+//' | sort -u)
mk=$(sed -n 's/^SWEEP_CAPS[[:space:]]*:=[[:space:]]*//p' Makefile)
if [ "$(echo "$sets" | wc -l)" = 1 ] && [ -n "$sets" ] && [ "$sets" = "$mk" ]; then
	echo "ok docs.one-capability-set"
else
	echo "FAIL docs.one-capability-set: the sources name: $(echo $sets); make install sets: $mk"
fi

# The completion itself, in bash with bash-completion loaded: options,
# formats, files by extension, VM names from a stand-in virsh.
if [ -r /usr/share/bash-completion/bash_completion ]; then
	mkdir -p "$tmp/files" "$tmp/bin"
	: >"$tmp/files/a.pcap"; : >"$tmp/files/b.txt"
	printf '#!/bin/sh\n[ "$*" = "-q list --all --name" ] && printf "web1\\nweb2\\n\\ndb\\n"\n' >"$tmp/bin/virsh"
	chmod +x "$tmp/bin/virsh"
	# complete WORDS...: the candidates for the last word, one per line.
	complete_words() {
		(cd "$tmp/files" && PATH="$tmp/bin:$PATH" bash -c '
		    source /usr/share/bash-completion/bash_completion
		    source "$0"
		    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		    COMP_LINE=$(printf "%s " "$@" | sed -e "s/ = /=/g" -e "s/ = *\$/=/" -e "s/ \$//")
		    COMP_POINT=${#COMP_LINE}
		    _arpsweep arpsweep "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		    printf "%s\n" "${COMPREPLY[@]}"; printf "vms:"; _arpsweep_vms | tr "\n" " "' \
		    "$OLDPWD/doc/arpsweep.bash-completion" "$@")
	}
	# NAME EXPECTED WORDS...: the candidates, sorted and joined by spaces.
	comp_check() {
		local name=$1 want=$2 got
		shift 2
		got=$(complete_words "$@" 2>&1 | grep -v '^vms:' | sort | tr '\n' ' ')
		[ "$got" = "$want " ] && echo "ok docs.completion-$name" ||
		    echo "FAIL docs.completion-$name: got '$got', want '$want'"
	}
	comp_check option "--force --format" arpsweep --for
	comp_check options-r "--random --rate --read --retries" arpsweep --r
	comp_check format "csv csv-findings json prom table" arpsweep --format ""
	comp_check format-equals "csv csv-findings json prom table" arpsweep --format = ""
	comp_check read-pcap "a.pcap" arpsweep -r ""
	comp_check oui-any-file "a.pcap b.txt" arpsweep --oui ""
	comp_check number-nothing "" arpsweep --retries ""
	vms=$(complete_words arpsweep "" | sed -n 's/^vms://p')
	[ "$vms" = "web1 web2 db " ] && echo "ok docs.completion-vm-names" ||
	    echo "FAIL docs.completion-vm-names: got '$vms' from virsh list --all --name"
else
	echo "SKIP docs.completion: bash-completion is not installed (tests/deps.sh test installs it)"
fi
# The README's pasted examples are what their commands print now
# (tests/tools/readme-examples.sh): docs.readme-NAME per example.
tests/tools/readme-examples.sh --check README.md
# ... and the check notices an edited output: one MAC changed in each
# replayed example's pasted output.
for ex in replay audit baseline; do
	awk -v n="$ex" '$0 == "<!-- example: " n " -->" { on = 1 } on && /^\$ / { cmd = 1 }
	    on && cmd && !/^\$ / && !done && sub(/52:54:00:3a:10:20/, "52:54:00:3a:10:21") { done = 1 }
	    $0 == "<!-- /example -->" { on = 0 } { print }' README.md >"$tmp/README-$ex.md"
	if cmp -s README.md "$tmp/README-$ex.md"; then
		echo "FAIL docs.readme-detects-edit-$ex: no MAC to edit in README's $ex example"
	elif tests/tools/readme-examples.sh --check "$tmp/README-$ex.md" --only "$ex" >"$tmp/ex.out" 2>&1; then
		echo "FAIL docs.readme-detects-edit-$ex: README's $ex output edited, yet --check passes"
	elif grep -q "^SKIP " "$tmp/ex.out"; then
		echo "SKIP docs.readme-detects-edit-$ex: $(sed -n 's/^SKIP [^:]*: //p' "$tmp/ex.out")"
	elif grep -q "^FAIL docs.readme-$ex: .*pasted output" "$tmp/ex.out"; then
		echo "ok docs.readme-detects-edit-$ex"
	else
		echo "FAIL docs.readme-detects-edit-$ex: --check failed otherwise:"; sed 's/^/    /' "$tmp/ex.out"
	fi
done
exit 0
