# Helpers shared by the Rego ports of the stronger rules: what the Rhai engine offers rules
# (`stated`, `count`, `find`, `mentions`) and the helper functions the rules define themselves.
#
# The input is the bid as JSON, with the field names of schemas/proposal.schema.json.
package stronger.lib

import rego.v1

# The value at a path of the bid, or null when the bid leaves it out.
get(path) := object.get(input, path, null)

# A value the engine passes to rules: not null, and not empty or blank text (blank text says
# nothing, so the engine leaves it out).
kept(x) if {
	x != null
	not is_string(x)
}

kept(x) if {
	is_string(x)
	trim_space(x) != ""
}

# `stated(x)`: the bid gives a value; a group is stated when it has any field.
stated(x) if {
	kept(x)
	not is_object(x)
}

stated(x) if {
	is_object(x)
	some v in x
	kept(v)
}

# The items of a list as rules see them (null and blank items are left out); [] for not stated.
items(xs) := [x | is_array(xs); some x in xs; kept(x)]

# True when a free-text answer says nothing, or says "none" / "n/a" / "no ..." (says_nothing in
# INF-01, SND-03 and VOL-02).
says_nothing(text) if trim_space(lower(text)) == ""

says_nothing(text) if {
	t := trim_space(lower(text))
	some prefix in ["none", "n/a", "no ", "not "]
	startswith(t, prefix)
}

# True when the bid offers evidence of this kind (has_evidence in POW-01 and INS-01).
has_evidence(kind) if {
	some e in items(get(["evidence"]))
	k := object.get(e, "kind", null)
	stated(k)
	k == kind
}

# Whole-word, case-insensitive phrase search, as the engine's `find` and `mentions` do it.
# Word characters are letters, digits, ' ’ and -; apostrophes and hyphens at the edges of a
# word are not part of it ("'residents'" is the word residents, a lone "-" is no word); the words
# of a phrase may be separated by any non-word characters; a trailing * means any word starting
# so. (One regex over the Unicode classes per phrase is over regorus's regex size limit, so a
# text is first brought to its words, lowercase, each with one space either side, and phrases
# are then found with `contains`.)
non_words := `[^\p{Alphabetic}\p{N}'’-]+`

# " Our co-design  'group' - met " -> " our co-design group met "
words_of(text) := concat("", [" ", lower(w3), " "]) if {
	w1 := regex.replace(text, non_words, " ")
	w2 := regex.replace(regex.replace(w1, `(^| )['’-]+`, "$1"), `['’-]+( |$)`, "$1")
	w3 := trim_space(regex.replace(w2, ` +`, " "))
}

# A phrase to look for as it appears in a text brought to its words: " steering group " finds
# the whole words; " volunteer" (from "volunteer*") finds any word starting so.
phrase(p) := concat("", [" ", concat(" ", phrase_words(p))]) if {
	endswith(trim_space(p), "*")
} else := concat("", [" ", concat(" ", phrase_words(p)), " "])

# The rules' phrases are words separated by single spaces, so a phrase is split on spaces.
phrase_words(p) := [lower(t) |
	some w in split(trim_right(trim_space(p), "*"), " ")
	t := trim(w, "'’-")
	t != ""
]

# All the bid's free text: every string anywhere in it, each brought to its words, one a line
# (a phrase cannot run from one string into the next).
text := concat("\n", [words_of(s) | walk(input, [_, s]); is_string(s)])

# `find(s, words)` found something in the string s.
find(s, words) if {
	is_string(s)
	t := words_of(s)
	some p in words
	contains(t, phrase(p))
}

# `mentions(bid, words)` found something.
mentions(words) if {
	some p in words
	contains(text, phrase(p))
}
