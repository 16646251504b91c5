# INF-02: residents are told what changed because of their views.
# Port of rules/influence/INF-02-feedback-to-residents.rhai (weight 1.5; amounts are unweighted).
package stronger.rules.inf_02

import data.stronger.lib
import rego.v1

feedback := lib.get(["involvement", "feedback_to_residents"])

result := {"status": "met", "impacts": {"NI4": 1}, "confidence": {"NI4": "medium"}} if {
	lib.stated(feedback)
	feedback == true
} else := {"status": "not-met", "impacts": {}, "confidence": {}} if {
	lib.stated(feedback)
} else := {"status": "met", "impacts": {"NI4": 1}, "confidence": {"NI4": "low"}} if {
	# Not stated: fall back to the bid's own words.
	lib.mentions(["you said", "report back", "reporting back", "feed back", "feedback to residents"])
} else := {"status": "not-stated", "impacts": {}, "confidence": {}}
