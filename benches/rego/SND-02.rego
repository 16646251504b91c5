# SND-02: outcomes have a baseline, a target and a date.
# Port of rules/soundness/SND-02-measurable-targets.rhai (weight 1.0; amounts are unweighted).
package stronger.rules.snd_02

import data.stronger.lib
import rego.v1

outcomes := lib.get(["outcomes"])

# A target equal to its baseline promises no change, so it does not count.
measurable(o) if {
	baseline := object.get(o, "baseline", null)
	target := object.get(o, "target", null)
	lib.stated(baseline)
	lib.stated(target)
	lib.stated(object.get(o, "by", null))
	target != baseline
}

complete := [o | some o in lib.items(outcomes); measurable(o)]

result := {"status": "not-stated", "impacts": {}, "confidence": {}} if {
	not lib.stated(outcomes)
} else := {"status": "not-met", "impacts": {}, "confidence": {}} if {
	count(complete) == 0
} else := {"status": "met", "impacts": {"NI3": 1}, "confidence": {"NI3": "high"}}
