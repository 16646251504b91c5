# SND-01: the bid shows evidence of need.
# Port of rules/soundness/SND-01-evidence-of-need.rhai (weight 1.0; amounts are unweighted).
package stronger.rules.snd_01

import data.stronger.lib
import rego.v1

evidence := lib.get(["evidence"])

found := [e |
	some e in lib.items(evidence)
	kind := object.get(e, "kind", null)
	lib.stated(kind)
	kind in {"need", "data"}
]

result := {"status": "not-stated", "impacts": {}, "confidence": {}} if {
	not lib.stated(evidence)
} else := {"status": "met", "impacts": {"NI5": 1}, "confidence": {"NI5": "high"}} if {
	count(found) > 0
} else := {"status": "not-stated", "impacts": {}, "confidence": {}} if {
	# Evidence whose kind the bid does not give may be evidence of need: ask, don't fail.
	some e in lib.items(evidence)
	not lib.stated(object.get(e, "kind", null))
} else := {"status": "not-met", "impacts": {}, "confidence": {}}
