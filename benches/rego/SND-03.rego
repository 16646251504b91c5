# SND-03: the activity continues after the funding ends.
# Port of rules/soundness/SND-03-after-funding.rhai (weight 1.5; amounts are unweighted).
package stronger.rules.snd_03

import data.stronger.lib
import rego.v1

continues := lib.get(["sustainability", "continues_after_funding"])

plan := lib.get(["sustainability", "plan"])

months := lib.get(["funding", "duration_months"])

has_plan if {
	lib.stated(plan)
	not lib.says_nothing(plan)
}

stops if {
	lib.stated(continues)
	continues == false
}

# A plan that only hopes or intends to apply for money is a weaker promise.
doubts := ["hope*", "might", "possibly", "if possible", "try to", "seek*", "apply for", "will apply"]

result := {"status": "not-applicable", "impacts": {}, "confidence": {}} if {
	# A one-off event of a month or less is not expected to carry on.
	stops
	lib.stated(months)
	months <= 1
} else := {"status": "not-met", "impacts": {}, "confidence": {}} if {
	stops
} else := {"status": "met", "impacts": {"NI7": 1}, "confidence": {"NI7": "low"}} if {
	has_plan
	lib.find(plan, doubts)
} else := {"status": "met", "impacts": {"NI7": 1}, "confidence": {"NI7": "medium"}} if {
	has_plan
} else := {"status": "not-stated", "impacts": {}, "confidence": {}} if {
	lib.stated(continues)
} else := {"status": "met", "impacts": {"NI7": 1}, "confidence": {"NI7": "low"}} if {
	# Nothing stated: fall back to the bid's own words.
	lib.mentions([
		"after the grant", "after funding", "beyond the grant",
		"after the funding", "self-sustaining", "self-funding", "sustainab*",
	])
} else := {"status": "not-stated", "impacts": {}, "confidence": {}}
